import type { Actor } from '../../core/auth.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { nowIso } from '../../core/ids.js';
import { lotUri } from '../../domain/event-model.js';
import { epcisEventOf, epcisQueryDocument, lotEpcisDocument, type EpcisDocument, type EpcisEventOut, type EpcisQueryDocument } from '../../epcis/epcis-document.js';
import type { EventRecord, Store } from '../../store/port.js';
import type { ProvenanceService } from '../provenance/service.js';

/** The SimpleEventQuery parameters we support, parsed (lists are "any of"). */
export interface EventQueryParams {
  eventType?: string[] | undefined;
  GE_eventTime?: string | undefined;
  LT_eventTime?: string | undefined;
  MATCH_epc?: string[] | undefined;
  MATCH_anyEPC?: string[] | undefined;
  EQ_bizStep?: string[] | undefined;
  EQ_bizLocation?: string[] | undefined;
  perPage: number;
  nextPageToken?: string | undefined;
}

export interface EventQueryResult {
  document: EpcisQueryDocument;
  /** Token for the next page, or null on the last one. */
  nextPageToken: string | null;
}

const CBV_BIZSTEP_URI = 'https://ref.gs1.org/cbv/BizStep-';
const CBV_BIZSTEP_URN = 'urn:epcglobal:cbv:bizstep:';
const CBV_WORD = /^[a-z][a-z_]*$/;

/**
 * A business step in any of its CBV 2.0 spellings (bare word, GS1 Web URI, URN) stands for all
 * three, since events may store any of them (ours store the bare word); any other URI (a private
 * vocabulary) matches itself only.
 */
export function bizStepForms(value: string): string[] {
  const word = value.startsWith(CBV_BIZSTEP_URI) ? value.slice(CBV_BIZSTEP_URI.length) : value.startsWith(CBV_BIZSTEP_URN) ? value.slice(CBV_BIZSTEP_URN.length) : value;
  if (CBV_WORD.test(word)) return [word, `${CBV_BIZSTEP_URI}${word}`, `${CBV_BIZSTEP_URN}${word}`];
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) return [value];
  throw ValidationError.field('EQ_bizStep', 'unknown-business-step', `"${value}" is neither a CBV business step nor a URI`);
}

/** nextPageToken: opaque to clients; it carries the append position (seq) after which the next page starts. */
const encodeToken = (after: string): string => Buffer.from(JSON.stringify({ v: 1, after }), 'utf8').toString('base64url');

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; after?: unknown };
    if (parsed.v === 1 && typeof parsed.after === 'string' && /^\d{1,15}$/.test(parsed.after)) return parsed.after;
  } catch {
    // falls through to the 400 below
  }
  throw ValidationError.field('nextPageToken', 'page-token-invalid', 'not a page token this service issued');
}

/** GS1 EPCIS 2.0 views of the signed record. */
export class EpcisService {
  constructor(
    private readonly provenance: ProvenanceService,
    private readonly store: Store,
  ) {}

  /**
   * The lot's whole history (the provenance bundle's events) as an EPCISDocument. Published lots
   * are public; private ones need an actor in their chain of custody (else 404).
   */
  async lotDocument(actor: Actor | null, batchId: string): Promise<EpcisDocument> {
    const { batch, head, records } = await this.provenance.history(actor, batchId);
    return lotEpcisDocument(records, { uri: lotUri(batch), heads: [head.hash] }, nowIso());
  }

  /**
   * SimpleEventQuery over the events the actor may read (recorded by its organizations, of lots
   * in whose chain of custody they are, of their plots). Every filter and the visibility rule run
   * in the store; results come in append order, so a page token stays valid as events are added.
   */
  async queryEvents(actor: Actor, params: EventQueryParams): Promise<EventQueryResult> {
    const from = params.GE_eventTime ? new Date(params.GE_eventTime).toISOString() : undefined;
    const before = params.LT_eventTime ? new Date(params.LT_eventTime).toISOString() : undefined;
    const page = await this.store.events.query(
      {
        scopeOrgIds: actor.scopeOrgIds,
        types: params.eventType,
        eventTimeFrom: from,
        eventTimeBefore: before,
        epcs: params.MATCH_epc,
        anyEpcs: params.MATCH_anyEPC,
        bizSteps: params.EQ_bizStep ? [...new Set(params.EQ_bizStep.flatMap(bizStepForms))] : undefined,
        bizLocations: params.EQ_bizLocation,
      },
      { limit: params.perPage, after: params.nextPageToken ? decodeToken(params.nextPageToken) : undefined },
    );
    return {
      document: epcisQueryDocument(page.items.map(epcisEventOf), nowIso()),
      nextPageToken: page.next ? encodeToken(page.next) : null,
    };
  }

  /** One event by its eventID, with the @context its prefixes need; 404 (NoSuchResourceException) when unknown or not readable. */
  async event(actor: Actor, eventId: string): Promise<EpcisEventOut & { '@context': unknown }> {
    const record = await this.store.events.findById(eventId);
    if (!record || !(await this.canRead(actor, record))) throw new NotFoundError('Event');
    const event = epcisEventOf(record);
    return { '@context': epcisQueryDocument([event], '')['@context'], ...event };
  }

  /** The visibility rule of `EventRepository.query`, for one event. */
  private async canRead(actor: Actor, record: EventRecord): Promise<boolean> {
    const scope = new Set(actor.scopeOrgIds);
    if (scope.has(record.orgId)) return true;
    for (const link of record.links) {
      if (link.role === 'plot') {
        const plot = await this.store.plots.findById(link.targetId);
        if (plot && scope.has(plot.orgId)) return true;
      } else {
        const lot = await this.store.batches.findById(link.targetId);
        if (lot?.accessOrgIds.some((id) => scope.has(id))) return true;
      }
    }
    return false;
  }
}
