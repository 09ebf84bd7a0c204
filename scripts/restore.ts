/**
 * `npm run restore -- <file>`
 *
 * Restores a backup made by `npm run backup` into the empty data folder of DATABASE_URL (and
 * DATA_DIR), after checking every member against the manifest, the database with
 * PRAGMA integrity_check and its wrapped keys against the key-encryption key when one is at hand.
 */
import { parseArgs } from 'node:util';
import { BackupError } from '../api/src/backup/backup-error.js';
import { restoreBackup } from '../api/src/backup/restore-backup.js';
import { loadStorageConfigOrExit } from '../api/src/core/config.js';

const USAGE = 'usage: npm run restore -- <file.tar.gz>     (into the empty data folder of DATABASE_URL)';

let args: ReturnType<typeof parseCommandLine>;
try {
  args = parseCommandLine();
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.positionals.length !== 1) {
  console.error(`${args.positionals.length === 0 ? 'name the backup file to restore' : 'name exactly one backup file'}\n${USAGE}`);
  process.exit(2);
}
const archive = args.positionals[0]!;

const storage = loadStorageConfigOrExit();
if (storage.database.kind !== 'sqlite') {
  console.error(
    'DATABASE_URL names MongoDB: npm run restore fills an embedded SQLite data folder only. Restore MongoDB with ' +
      '`mongorestore --oplogReplay` (or the storage snapshot) and the blob folder, as the README section "Backup and restore" → "MongoDB" describes.',
  );
  process.exit(1);
}

try {
  const { manifest, keyCheckedFrom } = await restoreBackup(archive, {
    databasePath: storage.database.path,
    dataDir: storage.dataDir,
    // Read here rather than through loadConfig, which would generate fresh secrets into the folder.
    keyEncryptionSecret: process.env.KEY_ENCRYPTION_KEY || null,
    previousKeyEncryptionSecret: process.env.KEY_ENCRYPTION_KEY_PREVIOUS || null,
  });
  const { counts } = manifest;
  console.log(
    `restored the backup of ${manifest.createdAt} into ${storage.dataDir}: ${counts.organizations} organizations, ${counts.batches} lots, ` +
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

function parseCommandLine() {
  return parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
}
