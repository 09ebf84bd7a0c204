import { nowIso } from '../core/ids.js';
import type { EpcisEvent } from '../domain/event-model.js';
import type { EventLink, EventRecord, Repositories } from '../store/port.js';
import { eventHash } from './canonical-json.js';

export interface EventToRecord {
  event: EpcisEvent;
  orgId: string;
  stepType: string | null;
  corrects?: string | null;
  links: EventLink[];
}

/**
 * The one way an event enters the store: hashed over its RFC 8785 bytes and appended inside the
 * caller's transaction, so the event and the records it changes commit together.
 */
export async function recordEvent(tx: Repositories, e: EventToRecord): Promise<EventRecord> {
  return tx.events.append({
    id: e.event.eventID,
    orgId: e.orgId,
    type: e.event.type,
    stepType: e.stepType,
    eventTime: e.event.eventTime,
    hash: eventHash(e.event),
    body: e.event,
    corrects: e.corrects ?? null,
    jws: null,
    logIndex: null,
    links: e.links,
    createdAt: nowIso(),
  });
}

/** A fresh EPCIS eventID (a urn:uuid until the CBV 2.0 event hash ID replaces it). */
export function newEventId(id: string): string {
  return `urn:uuid:${id}`;
}
