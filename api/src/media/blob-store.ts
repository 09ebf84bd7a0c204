import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Content-addressed blob storage: a blob's name is the SHA-256 of its bytes. Buckets keep
 * originals (private) apart from renditions (public WebP), so no route can serve one as the other;
 * organizations' logos (square PNGs) have their own, which media cleanup never touches.
 * This is the filesystem adapter; a deployment on object storage implements the same four calls
 * over a bucket per kind (see the README).
 */
export type Bucket = 'originals' | 'renditions' | 'logos';

export interface BlobStore {
  /** Stores bytes under their hash; `created` is false when an identical blob was already there. */
  put(bucket: Bucket, sha256: string, bytes: Uint8Array): Promise<{ created: boolean }>;
  read(bucket: Bucket, sha256: string): Promise<Buffer | null>;
  remove(bucket: Bucket, sha256: string): Promise<void>;
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

  async put(bucket: Bucket, sha256: string, bytes: Uint8Array): Promise<{ created: boolean }> {
    const target = this.pathOf(bucket, sha256);
    if (await exists(target)) return { created: false };
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
    return { created: true };
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

  async remove(bucket: Bucket, sha256: string): Promise<void> {
    await rm(this.pathOf(bucket, sha256), { force: true });
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
