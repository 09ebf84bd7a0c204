import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Content-addressed blob storage: a blob's name is the SHA-256 of its bytes. Buckets keep
 * originals (private) apart from renditions (public WebP), so no route can serve one as the other;
 * organizations' logos (square PNGs) have their own. Blobs are only ever added: a record may name
 * a blob another request stored a moment ago, so removing one is never safe without a sweep that
 * stops uploads. This is the filesystem adapter; a deployment on object storage implements the
 * same two calls over a bucket per kind (see docs/media.md).
 */
export type Bucket = 'originals' | 'renditions' | 'logos';

export interface BlobStore {
  /** Stores bytes under their hash (nothing to do when an identical blob is already there). */
  put(bucket: Bucket, sha256: string, bytes: Uint8Array): Promise<void>;
  read(bucket: Bucket, sha256: string): Promise<Buffer | null>;
}

const SHA256 = /^[0-9a-f]{64}$/;

export class FilesystemBlobStore implements BlobStore {
  private readonly tmp: string;

  constructor(private readonly root: string) {
    this.tmp = path.join(root, 'tmp');
    mkdirSync(this.tmp, { recursive: true });
  }

  /** The only way a name becomes a path: 64 hex digits, so nothing can traverse out of the root. */
  private pathOf(bucket: Bucket, sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error('a blob name is a lower-case hex SHA-256');
    return path.join(this.root, bucket, sha256.slice(0, 2), sha256);
  }

  async put(bucket: Bucket, sha256: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(bucket, sha256);
    if (await exists(target)) return;
    mkdirSync(path.dirname(target), { recursive: true });
    // Written whole and flushed to a temporary name, then renamed: a reader never sees half a file.
    const temporary = path.join(this.tmp, `${sha256}.${randomUUID()}`);
    const handle = await open(temporary, 'wx', 0o640);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    // The rename itself reaches the disk before the record naming the blob commits (a power cut
    // must not leave a committed record without its file).
    const folder = await open(path.dirname(target), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }

  async read(bucket: Bucket, sha256: string): Promise<Buffer | null> {
    if (!SHA256.test(sha256)) return null;
    try {
      return await readFile(this.pathOf(bucket, sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
