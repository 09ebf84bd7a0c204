import { apiRequest, type BatchSummary, type Page, type PlotSummary } from './api-client.js';
import type { ConsoleDb } from './console-db.js';
import type { EntryState, OutboxItem } from './outbox.js';
import { checkPlotGeometry } from '../../api/src/domain/plot-geometry.js';
import type { Session } from './session.js';

/**
 * The farmer's plots and lots as the forms need them: the server's lists, cached in IndexedDB
 * for offline use, plus what is recorded but not yet synced (under its local id, so a lot can be
 * recorded on a plot registered a minute ago without a connection).
 */
export interface FarmRecords {
  plots: Array<PlotSummary & LocalState>;
  batches: Array<BatchSummary & LocalState>;
}

interface LocalState {
  /** The outbox entry's state while it is not synced yet. */
  status?: EntryState;
  /** The outbox entry's `seq` while it is not synced yet (a refused one opens in its form by it). */
  seq?: number;
  /** The id it had while unsynced: a form opened before the sync still finds it by that id. */
  localId?: string;
}

/** The record a form selected by id, whether the form saw its local id or its server id. */
export function findRecord<T extends { id: string; localId?: string }>(records: T[], id: string): T | undefined {
  return records.find((r) => r.id === id || r.localId === id);
}

interface PlotBody {
  name: string;
  crops: string[];
  geometry: unknown;
  declaredAreaHa?: number;
}

type BatchBody = Omit<BatchSummary, 'id' | 'published' | 'digitalLink' | 'lotNumber' | 'harvestedAt'> & { lotNumber?: string; harvestedAt?: string };

const listKey = (userId: string, list: 'plots' | 'batches') => `${userId}:${list}`;

/** Reads both lists from the server and caches them; rejects when offline (the cache stays as it was). */
export async function refreshFarmRecords(db: ConsoleDb, session: Session): Promise<void> {
  const [plots, batches] = await Promise.all([
    apiRequest<Page<PlotSummary>>('/api/v1/plots?limit=200', { token: session.token }),
    apiRequest<Page<BatchSummary>>('/api/v1/batches?limit=50', { token: session.token }),
  ]);
  await db.put('lists', plots.items, listKey(session.userId, 'plots'));
  await db.put('lists', batches.items, listKey(session.userId, 'batches'));
}

/** The cached lists with the unsynced creates of the outbox before them (newest first, as the API lists). */
export async function farmRecords(db: ConsoleDb, userId: string, outbox: OutboxItem[]): Promise<FarmRecords> {
  const plots = (await db.get<PlotSummary[]>('lists', listKey(userId, 'plots'))) ?? [];
  const batches = (await db.get<BatchSummary[]>('lists', listKey(userId, 'batches'))) ?? [];
  const unsynced = outbox.filter((e) => e.localId && !(e.serverId && [...plots, ...batches].some((r) => r.id === e.serverId))).reverse();
  const pendingPlots = unsynced
    .filter((e) => e.kind === 'plot')
    .map((e) => {
      const body = e.json as PlotBody;
      const check = checkPlotGeometry(body.geometry);
      return { id: e.serverId ?? e.localId!, localId: e.localId!, name: body.name, crops: body.crops, areaHa: check.ok && check.areaHa !== null ? check.areaHa : (body.declaredAreaHa ?? null), status: e.state, seq: e.seq };
    });
  const pendingBatches = unsynced
    .filter((e) => e.kind === 'batch')
    .map((e) => {
      const body = e.json as BatchBody;
      return { ...body, id: e.serverId ?? e.localId!, localId: e.localId!, lotNumber: body.lotNumber ?? '', harvestedAt: body.harvestedAt ?? null, published: false, digitalLink: '', status: e.state, seq: e.seq };
    });
  const localIds = new Map(outbox.filter((e) => e.localId && e.serverId).map((e) => [e.serverId!, e.localId!]));
  const withLocalId = <T extends { id: string }>(r: T) => (localIds.has(r.id) ? { ...r, localId: localIds.get(r.id)! } : r);
  return { plots: [...pendingPlots, ...plots.map(withLocalId)], batches: [...pendingBatches, ...batches.map(withLocalId)] };
}
