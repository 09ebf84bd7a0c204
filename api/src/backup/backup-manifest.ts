import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import type { Bucket } from '../media/blob-store.js';

/**
 * The backup archive's layout and its manifest. The archive is a gzipped tar whose first member is
 * manifest.json; the other members mirror the data folder: trace.db (the database snapshot),
 * blobs/<bucket>/<xx>/<sha256> and, only when asked for, secrets.json.
 */
export const BACKUP_FORMAT = 'farm-trace/backup@1';
export const MANIFEST_MEMBER = 'manifest.json';
export const DATABASE_MEMBER = 'trace.db';
export const SECRETS_MEMBER = 'secrets.json';

export const blobMember = (bucket: Bucket, sha256: string): string => `blobs/${bucket}/${sha256.slice(0, 2)}/${sha256}`;

const SHA256 = /^[0-9a-f]{64}$/;
const BLOB_MEMBER = /^blobs\/(originals|renditions|logos)\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

const Member = z
  .object({ path: z.string(), bytes: z.number().int().min(0), sha256: z.string().regex(SHA256) })
  .refine(({ path, sha256 }) => path === DATABASE_MEMBER || path === SECRETS_MEMBER || BLOB_MEMBER.exec(path)?.[3] === sha256, {
    message: 'not a member a backup holds (a blob is named by its own SHA-256)',
  });
export type BackupMember = z.infer<typeof Member>;

export const BackupManifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.iso.datetime({ offset: true }),
  database: z.object({ kind: z.literal('sqlite'), schemaVersion: z.number().int().min(1) }),
  counts: z.object({
    organizations: z.number().int().min(0),
    batches: z.number().int().min(0),
    events: z.number().int().min(0),
    media: z.number().int().min(0),
    logLeaves: z.number().int().min(0),
    blobs: z.number().int().min(0),
  }),
  /** Whether secrets.json (JWT_SECRET and the KEY_ENCRYPTION_KEY that unwraps the keys in trace.db) is inside. */
  secretsIncluded: z.boolean(),
  members: z.array(Member).refine((members) => members.some((m) => m.path === DATABASE_MEMBER), { message: `names no ${DATABASE_MEMBER}` }),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

/** SHA-256 (hex) and length of a file, read as a stream. */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
