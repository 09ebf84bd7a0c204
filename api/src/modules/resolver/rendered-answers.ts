import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const GZIP_MIN_BYTES = 1024;

/** A finished resolver answer, kept so that repeated scans of a code cost no database work. */
export interface RenderedAnswer {
  status: number;
  contentType: string | null;
  body: string;
  location: string | null;
  etag: string;
  /** The body gzipped once, for clients that accept it (most of a page's bytes on 3G); null when too small to gain. */
  gzip: Buffer | null;
  /** The lot the answer is about, for scan counting. */
  batchId: string | null;
}

/**
 * Resolver answers by request (representation, language, URI), each kept for a short time: a
 * page is rendered at most once per lot and language in that window however often it is
 * scanned, and a change shows within it. Bounded; the least recently used answer goes first.
 */
export class RenderedAnswers {
  private readonly entries = new Map<string, { answer: RenderedAnswer; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string): RenderedAnswer | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.entries.delete(key);
    if (entry.expires <= Date.now()) return null;
    this.entries.set(key, entry);
    return entry.answer;
  }

  put(key: string, answer: Omit<RenderedAnswer, 'etag' | 'gzip'>): RenderedAnswer {
    const full = {
      ...answer,
      etag: `"${createHash('sha256').update(answer.body).update(answer.location ?? '').digest('base64url').slice(0, 27)}"`,
      gzip: Buffer.byteLength(answer.body) >= GZIP_MIN_BYTES ? gzipSync(answer.body) : null,
    };
    this.entries.set(key, { answer: full, expires: Date.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return full;
  }
}
