/** EPCIS events (append-only), their links to lots and plots, the event query and repository. */

import type { Page, PageRequest } from './pagination.js';

export type EventLinkRole = 'subject' | 'input' | 'output' | 'plot';

export interface EventLink {
  /** A batch id, or a plot id when role is 'plot'. */
  targetId: string;
  role: EventLinkRole;
}

export interface EventRecord {
  /** The event's EPCIS eventID. */
  id: string;
  /** Total order of appends in this store, assigned by the adapter. */
  seq: number;
  orgId: string;
  type: string;
  stepType: string | null;
  eventTime: string;
  /** SHA-256 (hex) of the event's RFC 8785 bytes. */
  hash: string;
  body: Record<string, unknown>;
  corrects: string | null;
  /** Compact JWS over the canonical bytes (added by signing). */
  jws: string | null;
  links: EventLink[];
  createdAt: string;
}

export type NewEvent = Omit<EventRecord, 'seq'>;

/**
 * An EPCIS query over stored events (the filters of SimpleEventQuery we support). Every list is
 * "any of"; absent or empty lists do not filter. Identifier matches are exact URI matches.
 */
export interface EventQuery {
  /**
   * Who asks: an event is visible when one of these organizations recorded it, or it is linked to
   * a lot whose chain of custody (`accessOrgIds`) includes one, or to a plot one of them owns.
   */
  scopeOrgIds: string[];
  types?: string[] | undefined;
  /** ISO 8601 instants: `eventTimeFrom <= eventTime < eventTimeBefore`, compared as instants whatever the offsets. */
  eventTimeFrom?: string | undefined;
  eventTimeBefore?: string | undefined;
  /** Matched against `epcList`, `childEPCs` and the `epcClass` of `quantityList` and `childQuantityList` (MATCH_epc). */
  epcs?: string[] | undefined;
  /** Matched against those plus `parentID`, `inputEPCList`, `outputEPCList` and the input/output quantity lists' `epcClass` (MATCH_anyEPC). */
  anyEpcs?: string[] | undefined;
  /** Values of `bizStep` exactly as stored (the caller expands the CBV spellings). */
  bizSteps?: string[] | undefined;
  /** Values of `bizLocation.id`. */
  bizLocations?: string[] | undefined;
}

export interface EventRepository {
  /** Appends an event; the adapter assigns `seq`. Returns the stored record. */
  append(event: NewEvent): Promise<EventRecord>;
  findById(id: string): Promise<EventRecord | null>;
  /** Events linked to `targetId` (any role), oldest first. */
  listFor(targetId: string, page: PageRequest): Promise<Page<EventRecord>>;
  /**
   * The head of a lot's own history: its most recent event as subject or output, or null. A merge
   * the lot only went into is not its head, so other lots' histories never enter its chain.
   */
  headOf(lotId: string): Promise<EventRecord | null>;
  findByHash(hash: string): Promise<EventRecord | null>;
  /** Events matching `query`, oldest first (append order), in pages keyed by seq; filtered by the database. */
  query(query: EventQuery, page: PageRequest): Promise<Page<EventRecord>>;
}
