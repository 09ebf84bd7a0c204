/**
 * `npm run backup -- <file> [--include-secrets]`
 *
 * A consistent backup of the embedded database named by DATABASE_URL and the blobs it names,
 * taken while the server runs, written to <file> (a new gzipped tar with a manifest). The keys in
 * the database stay wrapped under KEY_ENCRYPTION_KEY, which is left out unless --include-secrets
 * adds the data folder's secrets.json (see docs/operations.md, "Backup and restore").
 */
import { readBackupCommandLine } from '../api/src/backup/backup-command-line.js';
import { BackupError } from '../api/src/backup/backup-error.js';
import { createBackup } from '../api/src/backup/create-backup.js';

const { file: out, flags, databasePath, dataDir } = readBackupCommandLine({
  usage: 'usage: npm run backup -- <file.tar.gz> [--include-secrets]',
  flags: ['include-secrets'],
  file: 'file to write',
  mongoAdvice: 'npm run backup copies the embedded SQLite database only. Back up MongoDB with `mongodump --oplog` (replica set) or a storage snapshot, together with the blob folder',
});

const started = Date.now();
try {
  const manifest = await createBackup({ databasePath, dataDir, includeSecrets: flags['include-secrets'] ?? false }, out);
  const { counts } = manifest;
  console.log(
    `backup written to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s: database (schema ${manifest.database.schemaVersion}, ` +
      `${counts.organizations} organizations, ${counts.batches} lots, ${counts.events} events, ${counts.logLeaves} log leaves, ${counts.media} files) and ${counts.blobs} blobs`,
  );
  console.log(
    manifest.secretsIncluded
      ? 'it includes secrets.json: whoever holds this file can unwrap every signing key in it; keep it as you keep the keys'
      : 'secrets are not included: a restore needs the same KEY_ENCRYPTION_KEY (and JWT_SECRET), or the old secrets.json, kept apart from this file',
  );
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(`backup failed: ${error.message}`);
  process.exitCode = 1;
}
