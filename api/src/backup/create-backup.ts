import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { create as createTar } from 'tar';
import { readSnapshotContents, snapshotDatabase, type BlobReference } from '../store/sqlite/sqlite-snapshot.js';
import { BackupError } from './backup-error.js';
import {
  BACKUP_FORMAT,
  DATABASE_MEMBER,
  MANIFEST_MEMBER,
  SECRETS_MEMBER,
  blobMember,
  hashFile,
  type BackupManifest,
  type BackupMember,
} from './backup-manifest.js';

export interface BackupSource {
  databasePath: string;
  dataDir: string;
  /** Puts secrets.json in the archive, making it able to unwrap every signing key it holds. */
  includeSecrets: boolean;
}

/**
 * Writes a backup of a live embedded data folder to `out`, a new file. The database is copied
 * first; then the blobs that copy names. Blobs are content-addressed and written (flushed and
 * renamed into place) before the row naming them commits, and a named blob is never removed, so
 * every blob the snapshot names is on disk by then; each is checked against its hash on the way.
 */
export async function createBackup(source: BackupSource, out: string): Promise<BackupManifest> {
  if (existsSync(out)) throw new BackupError(`${out} already exists; a backup never overwrites a file, choose a new name`);
  if (!existsSync(source.databasePath)) throw new BackupError(`there is no database at ${source.databasePath} to back up`);
  // Staged beside the output, so the finished archive is renamed into place on the same filesystem.
  const staging = await mkdtemp(path.join(path.dirname(path.resolve(out)), '.farm-trace-backup-'));
  try {
    const root = path.join(staging, 'members');
    await mkdir(root);
    const database = path.join(root, DATABASE_MEMBER);
    await snapshotDatabase(source.databasePath, database);
    const snapshot = readSnapshotContents(database);

    const members: BackupMember[] = [{ path: DATABASE_MEMBER, ...(await hashFile(database)) }];
    const missing: string[] = [];
    for (const blob of snapshot.blobs) {
      const member = await copyVerifiedBlob(source.dataDir, root, blob);
      if (member) members.push(member);
      else missing.push(blobMember(blob.bucket, blob.sha256));
    }
    if (missing.length > 0) {
      throw new BackupError(
        `the database names ${missing.length} blob(s) that are missing or do not match their hash under ${path.join(source.dataDir, 'blobs')}: ` +
          `${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}; the data folder is damaged, no backup was written`,
      );
    }
    if (source.includeSecrets) members.push(await copySecrets(source.dataDir, root));

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: new Date().toISOString(),
      database: { kind: 'sqlite', schemaVersion: snapshot.schemaVersion },
      counts: { ...snapshot.counts, blobs: snapshot.blobs.length },
      secretsIncluded: source.includeSecrets,
      members,
    };
    await writeFile(path.join(root, MANIFEST_MEMBER), JSON.stringify(manifest, null, 2) + '\n');

    const archive = path.join(staging, 'archive.tar.gz');
    // Explicit files only (no directory entries); the manifest first, so a reader meets it before the rest.
    await createTar({ gzip: true, file: archive, cwd: root, portable: true }, [MANIFEST_MEMBER, ...members.map((m) => m.path)]);
    const handle = await open(archive, 'r');
    try {
      // It holds password hashes and wrapped private keys: readable by its owner only.
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(archive, out);
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Copies one blob into the staging tree after checking its bytes against its name; null when it is missing or damaged. */
async function copyVerifiedBlob(dataDir: string, root: string, blob: BlobReference): Promise<BackupMember | null> {
  const member = blobMember(blob.bucket, blob.sha256);
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(dataDir, 'blobs', blob.bucket, blob.sha256.slice(0, 2), blob.sha256));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (createHash('sha256').update(bytes).digest('hex') !== blob.sha256) return null;
  const target = path.join(root, member);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, bytes);
  return { path: member, bytes: bytes.length, sha256: blob.sha256 };
}

async function copySecrets(dataDir: string, root: string): Promise<BackupMember> {
  const file = path.join(dataDir, SECRETS_MEMBER);
  if (!existsSync(file)) {
    throw new BackupError(`--include-secrets: there is no ${file}; the secrets come from the environment (JWT_SECRET, KEY_ENCRYPTION_KEY), keep those in your secret store`);
  }
  const target = path.join(root, SECRETS_MEMBER);
  await copyFile(file, target);
  return { path: SECRETS_MEMBER, ...(await hashFile(target)) };
}
