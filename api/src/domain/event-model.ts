import { eventHashId } from './epcis-event-hash.js';
import { GS1_RESOLVER, locationDigitalLink, lotEventUri, partyDigitalLink } from './gs1/digital-link.js';
import { toEpcisQuantity, type Quantity } from './quantity.js';
import type { StepType } from './vocabulary.js';

/**
 * Builders for the EPCIS 2.0-shaped events the service records (GS1 EPCIS 2.0, CBV 2.0).
 * Project fields live under the `ft:` prefix, declared in the EPCIS document's @context.
 * Builders are pure: identifiers, times and `prev` hashes are passed in.
 */
export const PROJECT_NAMESPACE = { prefix: 'ft', iri: 'urn:farm-trace:epcis:' } as const;
export const DEFAULT_TIME_ZONE_OFFSET = '+07:00';
/** The JSON-LD prefixes our events use beyond the EPCIS 2.0 context: ours, and CBV master data (in ilmd). */
export const EVENT_PREFIXES: Readonly<Record<string, string>> = { [PROJECT_NAMESPACE.prefix]: PROJECT_NAMESPACE.iri, cbvmda: 'urn:epcglobal:cbv:mda:' };


/** Steps that turn the lot into a processed form: TransformationEvents (CBV bizStep commissioning). */
export const PROCESSING_STEPS: readonly StepType[] = ['drying', 'fermenting', 'hulling', 'sorting', 'roasting', 'grinding', 'packing'];

const OBSERVATION_BIZ_STEP: Record<Exclude<StepType, (typeof PROCESSING_STEPS)[number]>, string> = {
  storage: 'storing',
  shipping: 'shipping',
  receiving: 'receiving',
  inspection: 'inspecting',
};
const OBSERVATION_DISPOSITION: Record<keyof typeof OBSERVATION_BIZ_STEP, string> = {
  storage: 'in_progress',
  shipping: 'in_transit',
  receiving: 'in_progress',
  inspection: 'in_progress',
};

export interface LotRef {
  gtin: string | null;
  lotNumber: string;
  code: string;
}

export interface OrgRef {
  slug: string;
  gln: string | null;
}

export interface Place {
  name?: string | undefined;
  gln?: string | undefined;
  lat?: number | undefined;
  lon?: number | undefined;
}

/** What every event carries; `eventID` and `recordTime` are stamped by the recorder when it signs. */
export interface EventEnvelope {
  eventTime: string;
  recordedBy: OrgRef;
  userId: string | null;
  prev: string[];
  corrects?: string | null | undefined;
  /** SHA-256 of the photos and documents the event binds into the record. */
  media?: string[] | undefined;
}

/** Any event the service records; `type` is the EPCIS event type. */
export type EpcisEvent = Record<string, unknown> & { type: string; eventTime: string };

/**
 * The recording envelope the service adds to a captured event: who recorded it here, where it sits
 * in the lot's chain and which capture job brought it in. Like `recordTime`, these say how the event
 * was recorded here, not what its sender said, so a captured event's hash ID leaves them out: the
 * event keeps the ID its sender computes. Our own events' IDs cover them (an event of ours is what
 * we say, chain position included, so two identical steps on a lot stay two events).
 */
export const RECORDING_ENVELOPE_KEYS = ['ft:recordedBy', 'ft:recordedByUser', 'ft:prev', 'ft:captured'] as const;

/** How a captured event entered the record; `eventIdGiven`: its eventID was the sender's, kept as given. */
export interface CaptureMark {
  captureID: string;
  eventIdGiven: boolean;
}

/** Namespace prefixes an event's own `@context` declares (captured events carry their document's). */
export function eventContextPrefixes(event: Record<string, unknown>): Record<string, string> {
  const context = event['@context'];
  const prefixes: Record<string, string> = {};
  for (const entry of Array.isArray(context) ? context : [context]) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) continue;
    for (const [prefix, iri] of Object.entries(entry)) if (typeof iri === 'string') prefixes[prefix] = iri;
  }
  return prefixes;
}

/**
 * The CBV 2.0 event hash ID of an event: over the event as its originator said it (a captured
 * event without our recording envelope), with our prefixes and those of the event's own @context.
 */
export function eventIdOf(event: Record<string, unknown>): string {
  const content = { ...event };
  if (content['ft:captured'] !== undefined) for (const key of RECORDING_ENVELOPE_KEYS) delete content[key];
  return eventHashId(content, { ...EVENT_PREFIXES, ...eventContextPrefixes(event) });
}

/** Lot (class-level) identifier: its GS1 Digital Link URI on id.gs1.org (spelled as lotEventUri says) when the lot has a GTIN. */
export function lotUri(lot: LotRef): string {
  if (lot.gtin) return lotEventUri(lot.gtin, lot.lotNumber);
  return `${PROJECT_NAMESPACE.iri}lot:${lot.code}`;
}

export function orgUri(org: OrgRef): string {
  if (org.gln) return partyDigitalLink(GS1_RESOLVER, org.gln);
  return `${PROJECT_NAMESPACE.iri}org:${org.slug}`;
}

export function plotUri(plotId: string): string {
  return `${PROJECT_NAMESPACE.iri}plot:${plotId}`;
}

/** `+07:00` from an ISO 8601 date-time with offset (`Z` is `+00:00`). */
export function timeZoneOffsetOf(isoDateTime: string): string {
  const match = /([+-]\d{2}:\d{2}|Z)$/.exec(isoDateTime);
  if (!match?.[1] || match[1] === 'Z') return '+00:00';
  return match[1];
}

/** Server-side times are recorded in Vietnam time (+07:00), the service's default offset. */
export function toOffsetTime(isoUtc: string, offsetMinutes = 7 * 60): string {
  const shifted = new Date(Date.parse(isoUtc) + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function location(place: Place | undefined): Record<string, unknown> {
  if (!place) return {};
  const out: Record<string, unknown> = {};
  if (place.gln) out.bizLocation = { id: locationDigitalLink(GS1_RESOLVER, place.gln) };
  if (place.lat !== undefined && place.lon !== undefined) out.readPoint = { id: `geo:${place.lat},${place.lon}` };
  if (place.name) out['ft:placeName'] = place.name;
  return out;
}

function envelope(type: string, e: EventEnvelope): EpcisEvent {
  return {
    type,
    eventTime: e.eventTime,
    eventTimeZoneOffset: timeZoneOffsetOf(e.eventTime),
    'ft:recordedBy': orgUri(e.recordedBy),
    ...(e.userId ? { 'ft:recordedByUser': e.userId } : {}),
    'ft:prev': [...e.prev].sort(),
    'ft:media': e.media ?? [],
    ...(e.corrects ? { 'ft:corrects': e.corrects } : {}),
  };
}

export interface PlotRegistration {
  plotId: string;
  name: string;
  crops: string[];
  geometry: unknown;
  areaHa: number | null;
  declaredAreaHa: number | null;
  farmer: OrgRef;
  certifications: unknown[];
  /** The plot's GS1 GLN, if it has one. */
  gln?: string | null | undefined;
}

export function plotRegisteredEvent(e: EventEnvelope, plot: PlotRegistration): EpcisEvent {
  return {
    ...envelope('ObjectEvent', e),
    epcList: [plotUri(plot.plotId)],
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    'ft:stepType': 'plot_registration',
    'ft:plot': {
      name: plot.name,
      crops: plot.crops,
      geometry: plot.geometry,
      areaHa: plot.areaHa,
      declaredAreaHa: plot.declaredAreaHa,
      farmer: orgUri(plot.farmer),
      certifications: plot.certifications,
      // Only when present, so registrations without a GLN sign exactly the bytes they always did.
      ...(plot.gln ? { gln: plot.gln } : {}),
    },
  };
}

export interface Harvest {
  lot: LotRef;
  product: string;
  variety: string | null;
  quantity: Quantity;
  plotIds: string[];
  harvestedAt: string | null;
  harvestPeriod: { from: string; to: string } | null;
}

export function harvestEvent(e: EventEnvelope, h: Harvest): EpcisEvent {
  const start = h.harvestPeriod?.from ?? h.harvestedAt;
  const end = h.harvestPeriod?.to ?? h.harvestedAt;
  return {
    ...envelope('ObjectEvent', e),
    epcList: [],
    quantityList: [{ epcClass: lotUri(h.lot), ...toEpcisQuantity(h.quantity) }],
    action: 'ADD',
    bizStep: 'creating_class_instance',
    disposition: 'active',
    'ft:stepType': 'harvest',
    ilmd: {
      'cbvmda:countryOfOrigin': 'VN',
      'cbvmda:harvestStartDate': start,
      'cbvmda:harvestEndDate': end,
      'ft:product': h.product,
      ...(h.variety ? { 'ft:variety': h.variety } : {}),
      'ft:plots': h.plotIds.map(plotUri),
      'ft:declaredQuantity': h.quantity,
    },
  };
}

export interface LotQuantity {
  lot: LotRef;
  quantity?: Quantity | undefined;
}

function quantityElement(q: LotQuantity): Record<string, unknown> {
  return { epcClass: lotUri(q.lot), ...(q.quantity ? toEpcisQuantity(q.quantity) : {}) };
}

export interface StepDetails {
  stepType: StepType;
  lot: LotRef;
  place?: Place | undefined;
  notes?: string | undefined;
  inputs: LotQuantity[];
  outputs: LotQuantity[];
  receiver?: OrgRef | undefined;
  sender?: OrgRef | undefined;
}

/** A processing, storage, shipping, receiving or inspection step on one lot. */
export function stepEvent(e: EventEnvelope, s: StepDetails): EpcisEvent {
  const common = {
    ...location(s.place),
    ...(s.notes ? { 'ft:notes': s.notes } : {}),
    'ft:stepType': s.stepType,
  };
  if (PROCESSING_STEPS.includes(s.stepType)) {
    const inputs = s.inputs.length ? s.inputs : [{ lot: s.lot }];
    const outputs = s.outputs.length ? s.outputs : [{ lot: s.lot }];
    return {
      ...envelope('TransformationEvent', e),
      inputQuantityList: inputs.map(quantityElement),
      outputQuantityList: outputs.map(quantityElement),
      bizStep: 'commissioning',
      disposition: 'active',
      ...common,
    };
  }
  const kind = s.stepType as keyof typeof OBSERVATION_BIZ_STEP;
  const quantities = s.outputs.length ? s.outputs : s.inputs.length ? s.inputs : [{ lot: s.lot }];
  return {
    ...envelope('ObjectEvent', e),
    epcList: [],
    quantityList: quantities.map(quantityElement),
    action: 'OBSERVE',
    bizStep: OBSERVATION_BIZ_STEP[kind],
    disposition: OBSERVATION_DISPOSITION[kind],
    ...(s.receiver ? { destinationList: [{ type: 'owning_party', destination: orgUri(s.receiver) }] } : {}),
    ...(s.sender ? { sourceList: [{ type: 'owning_party', source: orgUri(s.sender) }] } : {}),
    ...common,
  };
}

export interface Transformation {
  kind: 'merge' | 'split';
  inputs: LotQuantity[];
  outputs: LotQuantity[];
  place?: Place | undefined;
  notes?: string | undefined;
}

/** A merge (several lots blended into one) or split (one lot into several): new lots from old. */
export function transformationEvent(e: EventEnvelope, t: Transformation): EpcisEvent {
  return {
    ...envelope('TransformationEvent', e),
    inputQuantityList: t.inputs.map(quantityElement),
    outputQuantityList: t.outputs.map(quantityElement),
    bizStep: 'commissioning',
    disposition: 'active',
    ...location(t.place),
    ...(t.notes ? { 'ft:notes': t.notes } : {}),
    'ft:stepType': t.kind,
  };
}

export interface AttachedFile {
  sha256: string;
  mediaType: string;
  renditions: Array<{ width: number; sha256: string }>;
  evidence: { takenAt: string | null; gps: { lat: number; lon: number } | null };
}

export interface MediaAttachment {
  subject: { kind: 'plot'; plotId: string } | { kind: 'lot'; lot: LotRef };
  /** eventID of the step or registration the files document. */
  attachesTo: string | null;
  files: AttachedFile[];
}

/**
 * Photos and documents bound into the signed record: the originals' hashes in `ft:media`, and
 * the hashes of the public renditions, so a buyer can check that a photo shown is the one signed.
 */
export function mediaEvent(e: EventEnvelope, m: MediaAttachment): EpcisEvent {
  return {
    ...envelope('ObjectEvent', { ...e, media: m.files.map((f) => f.sha256) }),
    ...(m.subject.kind === 'plot'
      ? { epcList: [plotUri(m.subject.plotId)] }
      : { epcList: [], quantityList: [{ epcClass: lotUri(m.subject.lot) }] }),
    action: 'OBSERVE',
    'ft:stepType': 'media',
    ...(m.attachesTo ? { 'ft:attachesTo': m.attachesTo } : {}),
    'ft:mediaDetails': m.files,
  };
}
