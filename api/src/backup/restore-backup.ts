import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { extract as extractTar, type ReadEntry } from 'tar';
import { KeyWrap } from '../keys/key-wrap.js';
import { CURRENT_SCHEMA_VERSION, integrityProblems, readSnapshotContents } from '../store/sqlite/sqlite-snapshot.js';
import { BackupError } from './backup-error.js';
import { BACKUP_FORMAT, BackupManifest, DATABASE_MEMBER, MANIFEST_MEMBER, SECRETS_MEMBER, hashFile } from './backup-manifest.js';

export interface RestoreTarget {
  databasePath: string;
  dataDir: string;
  /** KEY_ENCRYPTION_KEY from the environment, which wins over any secrets.json (as for the server). */
  keyEncryptionSecret: string | null;
  /** KEY_ENCRYPTION_KEY_PREVIOUS from the environment, during a rotation. */
  previousKeyEncryptionSecret: string | null;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where the key-encryption key that was checked against the archive's wrapped keys came from; null when none was at hand. */
  keyCheckedFrom: 'environment' | 'archive' | 'data folder' | null;
}

/** A data folder may hold only this before a restore: the secrets the restored keys need, put there first. */
const ALLOWED_IN_EMPTY_FOLDER = new Set([SECRETS_MEMBER]);

/**
 * Restores a backup archive into an empty data folder. Everything is unpacked into a hidden
 * folder inside it and checked there (members against the manifest's hashes, the database with
 * PRAGMA integrity_check, the wrapped keys against the key-encryption key when one is at hand);
 * the blobs and secrets then move into place and the database comes last, so a restore that fails
 * or is killed leaves no database behind.
 */
export async function restoreBackup(archive: string, target: RestoreTarget): Promise<RestoreResult> {
  if (!existsSync(archive)) throw new BackupError(`there is no backup file ${archive}`);
  await assertEmptyTarget(target);
  await mkdir(target.dataDir, { recursive: true });
  const staging = await mkdtemp(path.join(target.dataDir, '.restore-'));
  try {
    await unpack(archive, staging);
    const manifest = await readManifest(staging);
    await verifyMembers(staging, manifest);
    const database = path.join(staging, DATABASE_MEMBER);
    if (manifest.database.schemaVersion > CURRENT_SCHEMA_VERSION) {
      throw new BackupError(`the backup's database has schema version ${manifest.database.schemaVersion}, newer than this release's ${CURRENT_SCHEMA_VERSION}: restore it with the release that made it`);
    }
    const problems = integrityProblems(database);
    if (problems.length > 0) throw new BackupError(`the backup's database fails PRAGMA integrity_check: ${problems.slice(0, 3).join('; ')}`);

    const folderSecrets = path.join(target.dataDir, SECRETS_MEMBER);
    if (manifest.secretsIncluded && existsSync(folderSecrets)) {
      throw new BackupError(`the backup holds ${SECRETS_MEMBER} and ${folderSecrets} exists too; remove one of them so it is clear which keys the service uses`);
    }
    const keyCheckedFrom = await checkWrappedKeys(database, target, manifest.secretsIncluded ? path.join(staging, SECRETS_MEMBER) : folderSecrets, manifest.secretsIncluded);

    // On disk before they are moved: the database must never outlive a power cut that its blobs do not.
    for (const member of manifest.members) await flush(path.join(staging, member.path));
    if (existsSync(path.join(staging, 'blobs'))) await rename(path.join(staging, 'blobs'), path.join(target.dataDir, 'blobs'));
    if (manifest.secretsIncluded) {
      await rename(path.join(staging, SECRETS_MEMBER), folderSecrets);
      await chmod(folderSecrets, 0o600);
    }
    await placeDatabase(database, target.databasePath);
    return { manifest, keyCheckedFrom };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function assertEmptyTarget(target: RestoreTarget): Promise<void> {
  const existing = ['', '-wal', '-shm', '-journal'].map((suffix) => target.databasePath + suffix).filter((file) => existsSync(file));
  if (existing.length > 0) throw new BackupError(`${existing[0]} already exists; restore only into an empty data folder (move the old one aside first)`);
  if (!existsSync(target.dataDir)) return;
  const entries = (await readdir(target.dataDir)).filter((name) => !ALLOWED_IN_EMPTY_FOLDER.has(name));
  if (entries.length > 0) {
    throw new BackupError(
      `the data folder ${target.dataDir} is not empty (${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', …' : ''}); ` +
        `restore only into an empty folder (it may already hold ${SECRETS_MEMBER})`,
    );
  }
}

async function unpack(archive: string, staging: string): Promise<void> {
  try {
    // strict: any damage (a truncated gzip stream, a bad header checksum) is an error, not a warning.
    // Only regular files are taken; the manifest check then notices anything that was left out.
    await extractTar({ file: archive, cwd: staging, strict: true, filter: (_path, entry) => (entry as ReadEntry).type === 'File' });
  } catch (error) {
    throw new BackupError(`the backup file cannot be read (${(error as Error).message}): it is damaged, truncated or not a farm-trace backup`);
  }
}

async function readManifest(staging: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(path.join(staging, MANIFEST_MEMBER), 'utf8');
  } catch {
    throw new BackupError(`the backup file has no ${MANIFEST_MEMBER}: it is not a farm-trace backup`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupError(`the backup's ${MANIFEST_MEMBER} is not JSON`);
  }
  const parsed = BackupManifest.safeParse(json);
  if (!parsed.success) {
    throw new BackupError(`the backup's ${MANIFEST_MEMBER} is not a ${BACKUP_FORMAT} manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** Every unpacked file is a member the manifest lists, with its length and hash, and every member is there. */
async function verifyMembers(staging: string, manifest: BackupManifest): Promise<void> {
  const listed = new Map(manifest.members.map((m) => [m.path, m]));
  const unpacked = (await readdir(staging, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(staging, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((name) => name !== MANIFEST_MEMBER);
  const extra = unpacked.filter((name) => !listed.has(name));
  if (extra.length > 0) throw new BackupError(`the backup holds files its manifest does not list: ${extra.slice(0, 3).join(', ')}`);
  const present = new Set(unpacked);
  const absent = manifest.members.filter((m) => !present.has(m.path));
  if (absent.length > 0) throw new BackupError(`the backup lacks ${absent.length} member(s) its manifest lists (${absent.slice(0, 3).map((m) => m.path).join(', ')}): it is truncated or damaged`);
  for (const member of manifest.members) {
    const actual = await hashFile(path.join(staging, member.path));
    if (actual.sha256 !== member.sha256 || actual.bytes !== member.bytes) throw new BackupError(`${member.path} in the backup does not match its SHA-256 in the manifest: the file is damaged`);
  }
}

/**
 * Unwraps every private key in the database with the key-encryption key the restored service
 * will use, so a wrong or missing key shows now, not at the first signature after the restore.
 */
async function checkWrappedKeys(database: string, target: RestoreTarget, secretsFile: string, secretsFromArchive: boolean): Promise<RestoreResult['keyCheckedFrom']> {
  let secret = target.keyEncryptionSecret;
  let source: RestoreResult['keyCheckedFrom'] = 'environment';
  if (!secret && existsSync(secretsFile)) {
    secret = (JSON.parse(await readFile(secretsFile, 'utf8')) as { KEY_ENCRYPTION_KEY?: string }).KEY_ENCRYPTION_KEY ?? null;
    source = secretsFromArchive ? 'archive' : 'data folder';
  }
  if (!secret) return null;
  const wrap = new KeyWrap(secret, target.previousKeyEncryptionSecret);
  for (const key of readSnapshotContents(database).wrappedKeys) {
    try {
      wrap.unwrap(key.kid, key.encryptedPrivateKey);
    } catch (error) {
      throw new BackupError(
        `the KEY_ENCRYPTION_KEY from the ${source} does not unwrap the backup's keys (${(error as Error).message}): ` +
          `the restored service could not sign; use the key-encryption key of the service that made the backup`,
      );
    }
  }
  return source;
}

/** Moves the checked (and flushed) database to its place, copied first when that is on another filesystem. */
async function placeDatabase(staged: string, destination: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(destination)), { recursive: true });
  try {
    await rename(staged, destination);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    const partial = `${destination}.restoring`;
    await copyFile(staged, partial);
    await flush(partial);
    await rename(partial, destination);
  }
}

async function flush(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
