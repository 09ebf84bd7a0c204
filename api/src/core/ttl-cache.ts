/**
 * A small in-memory cache whose entries live a fixed time (or forever, with ttlMs Infinity),
 * bounded by entry count and by an estimate of their bytes; the least recently used entry goes
 * first. The resolver keeps its resolutions and answers here, the QR renderer its images.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { value: T; expires: number; bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly options: { ttlMs: number; maxEntries: number; maxBytes?: number; sizeOf?: (value: T) => number },
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.remove(key);
    if (entry.expires <= Date.now()) return undefined;
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    return entry.value;
  }

  set(key: string, value: T): T {
    this.remove(key);
    const bytes = this.options.sizeOf?.(value) ?? 0;
    this.entries.set(key, { value, expires: Date.now() + this.options.ttlMs, bytes });
    this.bytes += bytes;
    while (this.entries.size > this.options.maxEntries || (this.options.maxBytes !== undefined && this.bytes > this.options.maxBytes && this.entries.size > 1)) {
      this.remove(this.entries.keys().next().value as string);
    }
    return value;
  }

  delete(key: string): void {
    this.remove(key);
  }

  /**
   * The cached promise for `key`, or `create()`'s, cached at once so that concurrent misses share
   * one piece of work; a rejected promise is dropped, so the next call tries again.
   */
  shared<V>(this: TtlCache<Promise<V>>, key: string, create: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit) return hit;
    const created = create();
    created.catch(() => {
      if (this.entries.get(key)?.value === created) this.remove(key);
    });
    return this.set(key, created);
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
