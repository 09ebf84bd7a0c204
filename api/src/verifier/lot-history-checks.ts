import { lotUri } from '../domain/event-model.js';
import { commissioningLotNumber, lotKeyOf, sameLot, type LotKey } from '../domain/lot-key.js';
import { isRecord, type ProvenanceBundle } from './bundle-format.js';
import type { ParsedEvents } from './event-checks.js';
import type { EventReport } from './report.js';

/** The lot identifiers an event names, in any of the EPCIS identifier lists. */
function identifiersOf(event: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const list of ['epcList', 'inputEPCList', 'outputEPCList', 'childEPCs']) {
    const value = event[list];
    if (Array.isArray(value)) out.push(...value.filter((v): v is string => typeof v === 'string'));
  }
  for (const list of ['quantityList', 'inputQuantityList', 'outputQuantityList', 'childQuantityList']) {
    const value = event[list];
    if (Array.isArray(value)) for (const q of value) if (isRecord(q) && typeof q.epcClass === 'string') out.push(q.epcClass);
  }
  if (typeof event.parentID === 'string') out.push(event.parentID);
  return out;
}

/**
 * Whether an event names the bundle's lot: by any spelling of its identifier (Digital Link on any
 * host, EPC URN, with or without an item serial), or by an item serial that an event of the bundle
 * commissioned into the lot (an ObjectEvent ADD with the lot's number in its ILMD).
 */
function namesLot(event: Record<string, unknown>, lot: ProvenanceBundle['lot'], events: Iterable<Record<string, unknown>>): boolean {
  const lotKey = lotKeyOf(lot.uri);
  if (!lotKey) return identifiersOf(event).includes(lot.uri);
  const keys = identifiersOf(event).map(lotKeyOf);
  if (keys.some((key) => key && sameLot(key, lotKey))) return true;
  const items = keys.filter((key): key is Extract<LotKey, { kind: 'gtin-serial' }> => key?.kind === 'gtin-serial');
  if (!items.length || lot.gtin === null) return false;
  const commissioned = new Set<string>();
  for (const other of events) {
    if (commissioningLotNumber(other) !== lot.lotNumber) continue;
    for (const id of identifiersOf(other)) {
      const key = lotKeyOf(id);
      if (key?.kind === 'gtin-serial' && key.gtin === lot.gtin) commissioned.add(key.serial);
    }
  }
  return items.some((item) => item.gtin === lot.gtin && commissioned.has(item.serial));
}

/**
 * The lot's history: its identifier matches its GTIN and lot number, it has heads, each head is
 * in the bundle and names the lot, and the events reachable from the heads through prev form no
 * cycle. Bundle-level problems go to `errors`, an event's to its report. Returns the hashes of
 * the reachable events (the lot's ancestry).
 */
export function checkLotHistory(bundle: ProvenanceBundle, reports: EventReport[], parsed: ParsedEvents, errors: string[]): Set<string> {
  const byHash = new Map(reports.map((r) => [r.hash, r]));
  const state = new Map<string, 'open' | 'done'>();
  const reachable = new Set<string>();
  // Iterative depth-first walk with open/done marks: long histories cannot overflow the stack.
  const visit = (start: string): void => {
    const stack: Array<{ hash: string; next: number }> = [];
    const enter = (hash: string): void => {
      const seen = state.get(hash);
      if (seen === 'done') return;
      if (seen === 'open') {
        const from = stack.findIndex((frame) => frame.hash === hash);
        errors.push(`cycle in the event graph: ${[...stack.slice(from).map((frame) => frame.hash), hash].join(' → ')}`);
        return;
      }
      state.set(hash, 'open');
      reachable.add(hash);
      stack.push({ hash, next: 0 });
    };
    enter(start);
    while (stack.length) {
      const frame = stack[stack.length - 1]!;
      const prev = parsed.get(frame.hash)?.['ft:prev'];
      const refs = Array.isArray(prev) ? prev.filter((p): p is string => typeof p === 'string' && parsed.has(p)) : [];
      if (frame.next < refs.length) {
        enter(refs[frame.next++]!);
      } else {
        state.set(frame.hash, 'done');
        stack.pop();
      }
    }
  };
  if (bundle.lot.gtin !== null && bundle.lot.uri !== lotUri({ gtin: bundle.lot.gtin, lotNumber: bundle.lot.lotNumber, code: '' })) {
    errors.push(`the lot's GTIN and lot number do not match its identifier ${bundle.lot.uri}`);
  }
  if (bundle.heads.length === 0) errors.push('the bundle names no head event');
  for (const head of bundle.heads) {
    const event = parsed.get(head);
    if (!event) {
      errors.push(`head event ${head} is missing from the bundle`);
      continue;
    }
    if (!namesLot(event, bundle.lot, parsed.values())) {
      byHash.get(head)?.failures.push({ check: 'lot', message: `the head event does not name the lot ${bundle.lot.uri}` });
    }
    visit(head);
  }
  return reachable;
}
