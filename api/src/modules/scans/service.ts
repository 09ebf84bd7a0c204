import type { Actor } from '../../core/auth.js';
import { ValidationError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { classifyUserAgent } from '../../domain/client-type.js';
import { SCAN_DAY_UTC_OFFSET_MINUTES, type ScanRecord, type Store } from '../../store/port.js';
import type { BatchService } from '../batches/lifecycle-service.js';
import { MAX_SCAN_WINDOW_DAYS, type ScanQuery, type ScanReport } from './schema.js';

export interface ScanServiceOptions {
  /** Longest time a scan waits in memory before it is written. */
  flushIntervalMs: number;
  /** Buffered scans that start a write at once, without waiting for the interval. */
  flushAt: number;
  /** Scans held in memory while the database does not take them; past this, new scans are dropped and counted. */
  maxBuffered: number;
}

export const DEFAULT_SCAN_OPTIONS: ScanServiceOptions = { flushIntervalMs: 2_000, flushAt: 500, maxBuffered: 50_000 };

/** Drops are logged at most this often, so an outage under load does not flood the log. */
const DROP_WARNING_EVERY_MS = 60_000;
const DAY_MS = 86_400_000;
const OFFSET_MS = SCAN_DAY_UTC_OFFSET_MINUTES * 60_000;
const noop = (): void => undefined;

/**
 * Counts resolves of lots' links (time, lot, coarse client type) for the cooperatives' scan
 * statistics. The resolver is benchmarked at thousands of requests a second, so a scan is only
 * pushed onto an in-memory buffer; the buffer is written in one transaction every
 * `flushIntervalMs` or as soon as it holds `flushAt` scans. A crash loses at most the scans of
 * the last interval: they are statistics, not records, and are not signed or logged.
 */
export class ScanService {
  private readonly options: ScanServiceOptions;
  private buffer: ScanRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** The write in progress, if any. */
  private writing: Promise<void> | null = null;
  /** The next write, queued behind `writing`; it takes everything buffered when it starts. */
  private waiting: Promise<void> | null = null;
  /** After a failed write, the buffer bound does not trigger writes before this time (the timer retries). */
  private retryAt = 0;
  private closed = false;
  private droppedTotal = 0;
  private droppedSinceWarning = 0;
  private lastDropWarningAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: Store,
    private readonly batches: BatchService,
    private readonly logger: Logger,
    options: Partial<ScanServiceOptions> = {},
  ) {
    this.options = { ...DEFAULT_SCAN_OPTIONS, ...options };
  }

  /**
   * Counts one resolve of the lot's link. Synchronous and never throws: counting must not slow
   * down or break the page it counts. The User-Agent is reduced to a client type here and not kept.
   */
  record(batchId: string, userAgent: string | undefined): void {
    try {
      if (this.closed || this.buffer.length >= this.options.maxBuffered) {
        this.drop(1);
        return;
      }
      // To the minute: enough for counts by day, too coarse to join with a request log.
      this.buffer.push({ batchId, at: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString(), clientType: classifyUserAgent(userAgent) });
      if (this.buffer.length >= this.options.flushAt && Date.now() >= this.retryAt) this.flush().catch(noop);
      else this.schedule();
    } catch {
      // Best effort by design: the resolve being counted has already succeeded.
    }
  }

  /**
   * Writes every buffered scan in one transaction. Calls made while a write is queued share it;
   * one made during a write queues the next. Rejects when the database refuses; the scans then
   * stay buffered (within the bound) for the next attempt.
   */
  flush(): Promise<void> {
    this.waiting ??= (this.writing ?? Promise.resolve()).then(noop, noop).then(() => {
      this.waiting = null;
      const write = this.writeBuffered().finally(() => {
        if (this.writing === write) this.writing = null;
      });
      this.writing = write;
      return write;
    });
    return this.waiting;
  }

  /** Stops the timer and writes what is buffered; scans recorded afterwards are dropped. Call it before closing the store. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    await this.flush();
  }

  /** Scans lost since start: the buffer was full while the database was unavailable, or the service was closed. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /**
   * Scan counts of a lot in the actor's chain of custody (publication makes the lot readable by
   * anyone, not its statistics), over whole Vietnam days. Buffered scans are written first, so
   * a reader sees the scans it just made.
   */
  async report(actor: Actor, batchId: string, query: ScanQuery): Promise<ScanReport> {
    await this.batches.getInChain(actor, batchId);
    const window = dayWindow(query, new Date());
    await this.flush();
    const counts = await this.store.scans.countFor(batchId, { from: window.fromInstant, to: window.toInstant });
    return { batchId, from: window.from, to: window.to, ...counts };
  }

  private async writeBuffered(): Promise<void> {
    this.clearTimer();
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    try {
      await this.store.transaction((tx) => tx.scans.insertMany(rows));
    } catch (error) {
      this.retryAt = Date.now() + this.options.flushIntervalMs;
      // Kept oldest first for the next attempt; what does not fit the bound is dropped and counted.
      const kept = rows.concat(this.buffer);
      this.buffer = kept.slice(0, this.options.maxBuffered);
      this.logger.warn({ err: error, buffered: this.buffer.length }, 'writing scan counts failed; they stay in memory for the next attempt');
      this.drop(kept.length - this.buffer.length);
      this.schedule();
      throw error;
    }
    if (this.buffer.length > 0) this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch(noop); // a failure is logged by the write
    }, this.options.flushIntervalMs);
    // The timer alone must not keep a process alive (a CLI, a test run); close() writes what is left.
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private drop(count: number): void {
    if (count <= 0) return;
    this.droppedTotal += count;
    this.droppedSinceWarning += count;
    const now = Date.now();
    if (now - this.lastDropWarningAt < DROP_WARNING_EVERY_MS) return;
    this.logger.warn(
      { dropped: this.droppedSinceWarning, droppedTotal: this.droppedTotal, maxBuffered: this.options.maxBuffered },
      'scan counts dropped: the buffer is full because the database has not taken them, or the service is closed',
    );
    this.lastDropWarningAt = now;
    this.droppedSinceWarning = 0;
  }
}

/** Days since 1970-01-01 of a YYYY-MM-DD calendar date. */
const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOf = (dayNo: number): string => new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
/** The instant a Vietnam calendar day (by its day number) starts. */
const startOf = (dayNo: number): string => new Date(dayNo * DAY_MS - OFFSET_MS).toISOString();

/** The counted window: whole Vietnam days `from`…`to` (inclusive), as the instants [fromInstant, toInstant). */
function dayWindow(query: ScanQuery, now: Date): { from: string; to: string; fromInstant: string; toInstant: string } {
  const to = query.to ?? dayOf(Math.floor((now.getTime() + OFFSET_MS) / DAY_MS));
  const from = query.from ?? dayOf(dayNumber(to) - (MAX_SCAN_WINDOW_DAYS - 1));
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days < 1) throw ValidationError.field('from', 'window-reversed', `must not be after to (${to})`);
  if (days > MAX_SCAN_WINDOW_DAYS) throw ValidationError.field('from', 'window-too-long', `the window is at most ${MAX_SCAN_WINDOW_DAYS} days; from ${from} to ${to} is ${days}`, { maximum: MAX_SCAN_WINDOW_DAYS });
  return { from, to, fromInstant: startOf(dayNumber(from)), toInstant: startOf(dayNumber(to) + 1) };
}
