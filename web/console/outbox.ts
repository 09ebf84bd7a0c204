import { apiRequest, ProblemError, type Problem } from './api-client.js';
import type { ConsoleDb } from './console-db.js';
import { isExpired, type Session } from './session.js';

/**
 * Every write the console makes goes through this one queue in IndexedDB, so recording works
 * the same with or without a connection. Entries are sent one at a time in the order they were
 * recorded, each with its own Idempotency-Key: a retry after a lost response is answered by the
 * server with the stored result instead of a second copy. A write that names a resource created
 * by an earlier entry (a lot on a plot registered offline) carries that resource's local id,
 * replaced by the server's id once the earlier entry is synced.
 */
export type OutboxKind = 'plot' | 'batch' | 'step' | 'photo';
/**
 * What is stored: `queued` (saved on this phone, not sent yet; a transient failure leaves it
 * here), `sending`, `synced` (the server stored it), `refused` (the server answered a final 4xx;
 * it waits for the farmer to correct and resend it, or to discard it).
 */
export type OutboxStatus = 'queued' | 'sending' | 'synced' | 'refused';
/** What the farmer is shown: the stored status, or `held` for an unsent entry that names a refused (or held) entry's local id. */
export type EntryState = OutboxStatus | 'held';

export type OutboxError = { kind: 'network' } | { kind: 'problem'; problem: Problem };

export interface OutboxEntry {
  seq: number;
  /** The user who recorded it: only that user's token sends it. */
  owner: string;
  kind: OutboxKind;
  /** API path; may contain local ids of resources created by earlier entries. */
  path: string;
  json?: unknown;
  photo?: Blob;
  photoName?: string;
  idempotencyKey: string;
  /** The id the created resource goes by until the server answers with its real one. */
  localId: string | null;
  serverId: string | null;
  status: OutboxStatus;
  attempts: number;
  lastError: OutboxError | null;
  recordedAt: string;
}

export type NewOutboxEntry = Pick<OutboxEntry, 'kind' | 'path' | 'json' | 'photo' | 'photoName'> & { localId?: string };

/** A correction of a refused entry: what the farmer sends instead. */
export type Correction = Pick<OutboxEntry, 'path' | 'json' | 'photo' | 'photoName'>;

/** An entry as the screens show it: its state, and for a held entry the refused entry it waits for. */
export interface OutboxItem extends OutboxEntry {
  state: EntryState;
  /** `seq` of the refused entry a held entry waits for. */
  waitsFor: number | null;
}

const LOCAL_ID = /local:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
const KEEP_SYNCED = 30;
const MAX_BACKOFF_SECONDS = 300;

/** A random v4 UUID; `crypto.randomUUID` exists only on secure origins, `getRandomValues` everywhere. */
export function randomUuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id a resource goes by until its create is synced; usable in later entries' paths and bodies. */
export function newLocalId(): string {
  return `local:${randomUuid()}`;
}

function localIdsIn(entry: OutboxEntry): string[] {
  return [...`${entry.path}\n${JSON.stringify(entry.json ?? null)}`.matchAll(LOCAL_ID)].map((m) => m[0]);
}

function withRealIds<T>(value: T, ids: Map<string, string>): T {
  if (typeof value === 'string') return value.replace(LOCAL_ID, (local) => ids.get(local) ?? local) as T;
  if (Array.isArray(value)) return value.map((v) => withRealIds(v, ids)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withRealIds(v, ids)])) as T;
  return value;
}

/**
 * Each entry's state, in recording order (a create always precedes what names its local id): an
 * unsent entry that names a refused entry's local id, directly or through another held entry, is
 * held until that entry is corrected and synced.
 */
export function outboxItems(entries: OutboxEntry[]): OutboxItem[] {
  const blockedBy = new Map<string, number>();
  return entries.map((entry) => {
    let state: EntryState = entry.status;
    let waitsFor: number | null = null;
    if (entry.status === 'refused') {
      if (entry.localId) blockedBy.set(entry.localId, entry.seq);
    } else if (entry.status !== 'synced') {
      const root = localIdsIn(entry).find((id) => blockedBy.has(id));
      if (root) {
        state = 'held';
        waitsFor = blockedBy.get(root)!;
        if (entry.localId) blockedBy.set(entry.localId, waitsFor);
      }
    }
    return { ...entry, state, waitsFor };
  });
}

type Verdict = 'retry' | 'login' | 'refuse';

/** Network failures, timeouts, rate limits, server errors and a still-running first attempt are worth retrying; other 4xx are refusals. */
function verdictOn(error: unknown): { verdict: Verdict; lastError: OutboxError } {
  if (!(error instanceof ProblemError)) return { verdict: 'retry', lastError: { kind: 'network' } };
  const { problem } = error;
  const lastError: OutboxError = { kind: 'problem', problem };
  if (problem.status === 401) return { verdict: 'login', lastError };
  if (problem.status === 408 || problem.status === 425 || problem.status === 429 || problem.status >= 500) return { verdict: 'retry', lastError };
  if (problem.status === 409 && problem.type.endsWith('/idempotency-key-in-progress')) return { verdict: 'retry', lastError };
  return { verdict: 'refuse', lastError };
}

export class Outbox {
  private readonly listeners = new Set<() => void>();
  private running: Promise<void> | null = null;
  private runAgain = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private consecutiveRetries = 0;
  /** When the next automatic retry is due (ms since the epoch), or null. */
  retryAt: number | null = null;

  constructor(
    private readonly db: ConsoleDb,
    private readonly session: () => Session | null,
    private readonly onLoginNeeded: () => void,
  ) {}

  /** Sends whatever is queued now, and again whenever the browser comes back online. */
  start(): void {
    window.addEventListener('online', () => void this.flush());
    void this.flush();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** The user's entries, oldest first, with their states. */
  async entries(owner: string): Promise<OutboxItem[]> {
    return outboxItems(await this.db.all<OutboxEntry>('outbox')).filter((e) => e.owner === owner);
  }

  /** Queues writes recorded together (a lot and its photo), in order, then tries to send them; answers their `seq`s. */
  async add(owner: string, entries: NewOutboxEntry[]): Promise<number[]> {
    const seqs: number[] = [];
    for (const entry of entries) {
      const record: Omit<OutboxEntry, 'seq'> = {
        ...entry,
        owner,
        localId: entry.localId ?? null,
        idempotencyKey: randomUuid(),
        serverId: null,
        status: 'queued',
        attempts: 0,
        lastError: null,
        recordedAt: new Date().toISOString(),
      };
      seqs.push(Number(await this.db.put('outbox', record)));
    }
    this.changed();
    void this.flush();
    return seqs;
  }

  /**
   * Replaces a refused entry by the farmer's correction, in its place in the order and under its
   * local id (so the entries held on it follow it), as a new request: a new Idempotency-Key, so
   * the refused request is never sent again under its key. Held entries addressed under the
   * entry's path (a step's photo under `/batches/<lot>/steps`) follow a changed path.
   */
  async correct(seq: number, correction: Correction): Promise<void> {
    const all = await this.db.all<OutboxEntry>('outbox');
    const entry = all.find((e) => e.seq === seq);
    if (entry?.status !== 'refused') return;
    if (correction.path !== entry.path && entry.localId) {
      for (const held of all) {
        if (held.status === 'synced' || !localIdsIn(held).includes(entry.localId) || !held.path.startsWith(`${entry.path}/`)) continue;
        await this.db.put('outbox', { ...held, path: correction.path + held.path.slice(entry.path.length) });
      }
    }
    await this.db.put('outbox', { ...entry, ...correction, idempotencyKey: randomUuid(), status: 'queued', attempts: 0, lastError: null });
    this.changed();
    void this.flush();
  }

  /** Discards a refused entry, with the entries held on it (they could never be sent without it). */
  async remove(seq: number): Promise<void> {
    const items = outboxItems(await this.db.all<OutboxEntry>('outbox'));
    if (items.find((e) => e.seq === seq)?.state !== 'refused') return;
    for (const item of items) if (item.seq === seq || item.waitsFor === seq) await this.db.delete('outbox', item.seq);
    this.changed();
  }

  /** Sends the queue now; a call while a send is running makes it run once more afterwards. */
  flush(): Promise<void> {
    if (this.running) {
      this.runAgain = true;
      return this.running;
    }
    this.running = this.sendWithLock().finally(() => {
      this.running = null;
      if (this.runAgain) {
        this.runAgain = false;
        void this.flush();
      }
    });
    return this.running;
  }

  /** Two tabs of the console must not send the same entry at once: a Web Lock makes one wait for the other. */
  private async sendWithLock(): Promise<void> {
    if (navigator.locks) await navigator.locks.request('farm-trace-console-outbox', () => this.sendQueued());
    else await this.sendQueued();
  }

  private async sendQueued(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryAt = null;
    const session = this.session();
    if (!session || !navigator.onLine) return;
    const all = await this.db.all<OutboxEntry>('outbox');
    const pending = all.filter((e) => e.owner === session.userId && (e.status === 'queued' || e.status === 'sending'));
    const held = new Set(outboxItems(all).filter((e) => e.state === 'held').map((e) => e.seq));
    if (pending.length && isExpired(session)) return this.onLoginNeeded();
    const realIds = new Map(all.filter((e) => e.localId && e.serverId).map((e) => [e.localId!, e.serverId!]));
    const blockedIds = new Set<string>();

    for (const entry of pending) {
      const needs = localIdsIn(entry);
      // Held: it waits for the correction of the refused entry it names (refused earlier, or in this run).
      if (held.has(entry.seq) || needs.some((id) => blockedIds.has(id))) {
        if (entry.localId) blockedIds.add(entry.localId);
        continue;
      }
      // Its create was recorded by another user on this phone: it waits for that user to log in.
      if (needs.some((id) => !realIds.has(id))) continue;
      await this.save(entry, { status: 'sending' });
      try {
        const serverId = await this.send(entry, session.token, realIds);
        await this.save(entry, { status: 'synced', serverId, attempts: entry.attempts + 1, lastError: null, photo: undefined });
        if (entry.localId && serverId) realIds.set(entry.localId, serverId);
        this.consecutiveRetries = 0;
      } catch (error) {
        const { verdict, lastError } = verdictOn(error);
        if (verdict === 'refuse') {
          await this.save(entry, { status: 'refused', attempts: entry.attempts + 1, lastError });
          if (entry.localId) blockedIds.add(entry.localId);
          continue;
        }
        await this.save(entry, { status: 'queued', attempts: entry.attempts + 1, lastError });
        if (verdict === 'login') this.onLoginNeeded();
        else this.scheduleRetry();
        return;
      }
    }
    await this.pruneSynced(session.userId);
  }

  /** Exponential backoff with jitter, up to five minutes; `online` events and new entries retry sooner. */
  private scheduleRetry(): void {
    const seconds = Math.min(MAX_BACKOFF_SECONDS, 2 ** this.consecutiveRetries++) * (0.75 + Math.random() * 0.5);
    this.retryAt = Date.now() + seconds * 1000;
    this.retryTimer = setTimeout(() => void this.flush(), seconds * 1000);
    this.changed();
  }

  private async send(entry: OutboxEntry, token: string, realIds: Map<string, string>): Promise<string | null> {
    const path = withRealIds(entry.path, realIds);
    const request = { method: 'POST' as const, token, idempotencyKey: entry.idempotencyKey };
    if (entry.photo) {
      const form = new FormData();
      form.append('file', entry.photo, entry.photoName ?? 'photo.jpg');
      await apiRequest(path, { ...request, form });
      return null;
    }
    const created = await apiRequest<{ id?: string }>(path, { ...request, json: withRealIds(entry.json, realIds) });
    return typeof created?.id === 'string' ? created.id : null;
  }

  private async save(entry: OutboxEntry, change: Partial<OutboxEntry>): Promise<void> {
    Object.assign(entry, change);
    await this.db.put('outbox', entry);
    this.changed();
  }

  /** Keeps the last few synced entries for the sync list; older ones go unless a queued entry still names their local id. */
  private async pruneSynced(owner: string): Promise<void> {
    const mine = await this.entries(owner);
    const stillNeeded = new Set(mine.filter((e) => e.status !== 'synced').flatMap(localIdsIn));
    const synced = mine.filter((e) => e.status === 'synced');
    for (const old of synced.slice(0, Math.max(0, synced.length - KEEP_SYNCED))) {
      if (!old.localId || !stillNeeded.has(old.localId)) await this.db.delete('outbox', old.seq);
    }
  }
}
