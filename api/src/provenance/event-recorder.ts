import { createHash } from 'node:crypto';
import { nowIso } from '../core/ids.js';
import { eventIdOf, orgUri, toOffsetTime, type EpcisEvent, type OrgRef } from '../domain/event-model.js';
import type { EventLink, EventRecord, Repositories } from '../store/port.js';
import { canonicalJson } from '../domain/canonical-json.js';
import type { TransparencyLog } from '../log/transparency-log.js';
import type { KeyRing } from '../keys/key-ring.js';
import { signCanonical } from '../keys/signing-keys.js';

export interface EventToRecord {
  event: EpcisEvent;
  /** The organization that records the event and signs it; the event's `ft:recordedBy`. */
  signer: OrgRef & { id: string };
  corrects?: string | null;
  links: EventLink[];
  /** The eventID the caller settled (a captured event's, given or computed); by default the event's CBV 2.0 hash ID. */
  eventId?: string | undefined;
}

/**
 * The one way an event enters the store: canonicalized (RFC 8785), hashed (SHA-256 of those
 * bytes), signed as a compact JWS with the recording organization's current key, appended, and
 * its hash appended to the transparency log, all inside the caller's transaction, so the event,
 * its log leaf and the records it changes commit together.
 */
export class EventRecorder {
  constructor(
    private readonly keys: KeyRing,
    private readonly log: TransparencyLog,
  ) {}

  async record(tx: Repositories, e: EventToRecord): Promise<EventRecord> {
    if (e.event['ft:recordedBy'] !== orgUri(e.signer)) {
      throw new Error(`event names ${String(e.event['ft:recordedBy'])} as recorder but would be signed by ${orgUri(e.signer)}`);
    }
    const createdAt = nowIso();
    const { kid, privateKey } = await this.keys.currentKey(tx, e.signer.id, createdAt);
    // The eventID is the CBV 2.0 event hash ID of the event's content (it leaves out eventID,
    // recordTime and the recording envelope), so any EPCIS system can recompute it. recordTime is
    // stamped inside the transaction, after the key is chosen: it falls in that key's validity window.
    const eventID = e.eventId ?? eventIdOf(e.event);
    const event: EpcisEvent = { ...e.event, eventID, recordTime: toOffsetTime(createdAt) };
    const canonical = canonicalJson(event);
    const stored = await tx.events.append({
      id: eventID,
      orgId: e.signer.id,
      type: event.type,
      stepType: typeof event['ft:stepType'] === 'string' ? event['ft:stepType'] : null,
      eventTime: event.eventTime,
      hash: createHash('sha256').update(canonical, 'utf8').digest('hex'),
      body: event,
      corrects: e.corrects ?? null,
      jws: signCanonical(privateKey, kid, canonical),
      links: e.links,
      createdAt,
    });
    await this.log.append(tx, stored.hash);
    return stored;
  }
}

