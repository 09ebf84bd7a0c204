import { plotOf, type PlotFacts } from '../../api/src/domain/signed-plot.js';
import type { LotOrigin, SignedEvent } from '../../api/src/modules/resolver/service.js';
import type { OrganizationRecord } from '../../api/src/store/port.js';
import { lotKeyOf } from '../../api/src/domain/lot-key.js';

/**
 * What the origin page tells, read from the lot's signed events (not from mutable records), so
 * the page shows exactly what the verification badge vouches for.
 */
export interface Photo {
  /** SHA-256 of each WebP rendition, by width. */
  renditions: Array<{ width: number; sha256: string }>;
  takenAt: string | null;
}

export interface Stage {
  eventID: string;
  stepType: string;
  eventTime: string;
  actor: OrganizationRecord | null;
  actorUri: string | null;
  placeName: string | null;
  gln: string | null;
  geo: [number, number] | null;
  /** Lots the stage produced or observed, as "GTIN · lot" or the lot's code. */
  lots: string[];
  notes: string | null;
  receiver: OrganizationRecord | null;
  photos: Photo[];
  /** How many like events this entry stands for (a run of identical storage checks is one entry). */
  repeats: number;
  /** eventTime of the last event of the run, when `repeats` > 1. */
  lastTime: string | null;
}

export interface PlotStory extends PlotFacts {
  farmerOrg: OrganizationRecord | null;
  photos: Photo[];
}

export interface Certificate {
  scheme: string;
  number: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  stars: number | null;
  /** Where it applies: a plot's name. */
  holder: string;
}

export interface LotStory {
  stages: Stage[];
  plots: PlotStory[];
  /** Photos of the lot not attached to a particular stage. */
  lotPhotos: Photo[];
  certificates: Certificate[];
  harvest: { from: string; to: string } | null;
}

const HIDDEN_STAGES = new Set(['media', 'plot_registration']);

/** CBV 2.0 business steps that are one of our step types under another word (events captured from other systems). */
const CBV_STEP_TYPES: Record<string, string> = { storing: 'storage', inspecting: 'inspection', shipping: 'shipping', receiving: 'receiving', packing: 'packing' };

/** Our step type; for a captured event, its CBV business step (bare word), else its EPCIS type. */
function stepTypeOf(body: Record<string, unknown>): string {
  if (typeof body['ft:stepType'] === 'string') return body['ft:stepType'];
  const word = typeof body.bizStep === 'string' ? /([a-z_]+)$/.exec(body.bizStep)?.[1] : undefined;
  if (word) return CBV_STEP_TYPES[word] ?? word;
  return String(body.type);
}

export function lotStory(origin: LotOrigin): LotStory {
  const photos = photosByEvent(origin.events);
  const org = (uri: unknown) => (typeof uri === 'string' ? (origin.organizations[uri] ?? null) : null);
  // By instant, not by text: 08:00+07:00 comes before 02:00Z.
  const byTime = [...origin.events].sort((a, b) => instant(a.body.eventTime) - instant(b.body.eventTime));

  const stages: Stage[] = byTime
    .filter((e) => !HIDDEN_STAGES.has(String(e.body['ft:stepType'])))
    .map(({ body }) => ({
      eventID: String(body.eventID),
      stepType: stepTypeOf(body),
      eventTime: String(body.eventTime),
      actor: org(body['ft:recordedBy']),
      actorUri: typeof body['ft:recordedBy'] === 'string' ? body['ft:recordedBy'] : null,
      placeName: typeof body['ft:placeName'] === 'string' ? body['ft:placeName'] : null,
      gln: /\/414\/(\d{13})$/.exec(idOf(body.bizLocation) ?? '')?.[1] ?? null,
      geo: geoOf(idOf(body.readPoint)),
      lots: lotsOf(body),
      notes: typeof body['ft:notes'] === 'string' ? body['ft:notes'] : null,
      receiver: org((body.destinationList as Array<{ destination?: unknown }> | undefined)?.[0]?.destination),
      photos: photos.get(String(body.eventID)) ?? [],
      repeats: 1,
      lastTime: null,
    }));

  const plots: PlotStory[] = byTime.flatMap(({ body }) => {
    const plot = plotOf(body);
    if (!plot) return [];
    const plotUri = String((body.epcList as unknown[] | undefined)?.[0] ?? '');
    return [{ ...plot, farmerOrg: org(plot.farmer), photos: [...(photos.get(String(body.eventID)) ?? []), ...(photos.get(plotUri) ?? [])] }];
  });

  const certificates: Certificate[] = plots.flatMap((plot) =>
    (plot.certifications ?? []).map((c) => ({ ...c, stars: c.stars ?? null, holder: plot.name })),
  );

  const harvests = byTime.filter((e) => e.body['ft:stepType'] === 'harvest').map((e) => e.body.ilmd as Record<string, unknown> | undefined);
  const starts = harvests.map((i) => i?.['cbvmda:harvestStartDate']).filter((d): d is string => typeof d === 'string').sort();
  const ends = harvests.map((i) => i?.['cbvmda:harvestEndDate']).filter((d): d is string => typeof d === 'string').sort();

  return {
    stages: foldRuns(stages),
    plots,
    lotPhotos: photos.get('') ?? [],
    certificates,
    harvest: starts.length ? { from: starts[0]!, to: ends[ends.length - 1] ?? starts[0]! } : null,
  };
}

/** Photos by the eventID their media event attaches them to, else by the plot they show ('' for the lot itself). */
function photosByEvent(events: SignedEvent[]): Map<string, Photo[]> {
  const out = new Map<string, Photo[]>();
  for (const { body } of events) {
    if (body['ft:stepType'] !== 'media') continue;
    const files = (body['ft:mediaDetails'] as Array<{ renditions?: Photo['renditions']; evidence?: { takenAt?: string | null } }> | undefined) ?? [];
    const plotUri = (body.epcList as unknown[] | undefined)?.[0];
    const target = typeof body['ft:attachesTo'] === 'string' ? body['ft:attachesTo'] : typeof plotUri === 'string' ? plotUri : '';
    const list = out.get(target) ?? [];
    for (const f of files) if (f.renditions?.length) list.push({ renditions: f.renditions, takenAt: f.evidence?.takenAt ?? null });
    out.set(target, list);
  }
  return out;
}

function instant(time: unknown): number {
  const ms = typeof time === 'string' ? Date.parse(time) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

function idOf(value: unknown): string | null {
  return value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : null;
}

function geoOf(uri: string | null): [number, number] | null {
  const match = /^geo:(-?[\d.]+),(-?[\d.]+)/.exec(uri ?? '');
  return match ? [Number(match[2]), Number(match[1])] : null;
}

/** "08936123450021 · KN25R-A" for GS1 lot identifiers, the code for ours. */
export function lotLabel(epcClass: string): string {
  const key = lotKeyOf(epcClass);
  if (key?.kind === 'gtin-lot') return `${key.gtin} · ${key.lotNumber}`;
  return /:lot:(.+)$/.exec(epcClass)?.[1] ?? epcClass;
}

function lotsOf(body: Record<string, unknown>): string[] {
  const lists = [body.outputQuantityList, body.quantityList] as Array<Array<{ epcClass?: unknown }> | undefined>;
  const classes = lists.flatMap((l) => l ?? []).map((q) => q.epcClass).filter((c): c is string => typeof c === 'string');
  return [...new Set(classes.map(lotLabel))];
}

/** Stages that say the same thing but when: same step, actor, place, lots, receiver and notes, no photos. */
function sameButTime(a: Stage, b: Stage): boolean {
  return (
    a.stepType === b.stepType &&
    a.actorUri === b.actorUri &&
    a.placeName === b.placeName &&
    a.gln === b.gln &&
    a.lots.join('|') === b.lots.join('|') &&
    a.receiver?.id === b.receiver?.id &&
    a.notes === b.notes &&
    a.photos.length === 0 &&
    b.photos.length === 0
  );
}

/**
 * Consecutive like stages (a warehouse logging the lot every hour) become one entry with a count
 * and a time span, so a long history stays a readable, small page; every event is still in the
 * bundle the badge verifies.
 */
function foldRuns(stages: Stage[]): Stage[] {
  const out: Stage[] = [];
  for (const stage of stages) {
    const last = out[out.length - 1];
    if (last && sameButTime(last, stage)) {
      last.repeats += 1;
      last.lastTime = stage.eventTime;
    } else {
      out.push({ ...stage });
    }
  }
  return out;
}
