import type { EventRecord, EventRepository } from '../store/port.js';

/**
 * A lot's whole history: the signed events reachable from its head through `ft:prev` (its steps,
 * the lots it was made from, their harvests and plot registrations), breadth-first from the head,
 * each once. The provenance bundle and the EPCIS document are both built from this walk, so they
 * always hold the same events.
 */
export async function signedAncestry(events: EventRepository, headHash: string): Promise<Array<EventRecord & { jws: string }>> {
  const out: Array<EventRecord & { jws: string }> = [];
  const seen = new Set<string>();
  const queue = [headHash];
  while (queue.length) {
    const hash = queue.shift()!;
    if (seen.has(hash)) continue;
    seen.add(hash);
    const record = await events.findByHash(hash);
    if (!record?.jws) continue;
    out.push({ ...record, jws: record.jws });
    const prev = record.body['ft:prev'];
    if (Array.isArray(prev)) queue.push(...prev.filter((p): p is string => typeof p === 'string'));
  }
  return out;
}
