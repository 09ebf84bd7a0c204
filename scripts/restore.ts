/**
 * `npm run restore -- <file>`
 *
 * Restores a backup made by `npm run backup` into the empty data folder of DATABASE_URL (and
 * DATA_DIR), after checking every member against the manifest, the database with
 * PRAGMA integrity_check and its wrapped keys against the key-encryption key when one is at hand.
 */
import { readBackupCommandLine } from '../api/src/backup/backup-command-line.js';
import { BackupError } from '../api/src/backup/backup-error.js';
import { restoreBackup } from '../api/src/backup/restore-backup.js';

const { file: archive, databasePath, dataDir } = readBackupCommandLine({
  usage: 'usage: npm run restore -- <file.tar.gz>     (into the empty data folder of DATABASE_URL)',
  flags: [],
  file: 'backup file to restore',
  mongoAdvice: 'npm run restore fills an embedded SQLite data folder only. Restore MongoDB with `mongorestore --oplogReplay` (or the storage snapshot) and the blob folder',
});

try {
  const { manifest, keyCheckedFrom } = await restoreBackup(archive, {
    databasePath,
    dataDir,
    // Read here rather than through loadConfig, which would generate fresh secrets into the folder.
    keyEncryptionSecret: process.env.KEY_ENCRYPTION_KEY || null,
    previousKeyEncryptionSecret: process.env.KEY_ENCRYPTION_KEY_PREVIOUS || null,
  });
  const { counts } = manifest;
  console.log(
    `restored the backup of ${manifest.createdAt} into ${dataDir}: ${counts.organizations} organizations, ${counts.batches} lots, ` +
      `${counts.events} events, ${counts.logLeaves} log leaves, ${counts.blobs} blobs; every member matched its SHA-256 and the database passed its integrity check`,
  );
  console.log(
    keyCheckedFrom
      ? `the KEY_ENCRYPTION_KEY from the ${keyCheckedFrom} unwraps every signing key`
      : 'no KEY_ENCRYPTION_KEY is at hand: start the service with the one the backed-up service used (environment, or its secrets.json in the data folder), or it cannot sign',
  );
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(`restore failed: ${error.message}`);
  process.exitCode = 1;
}
