import { plotOf, type PlotFacts } from '../../api/src/domain/signed-plot.js';
import type { LotOrigin } from '../../api/src/modules/resolver/service.js';
import type { OrganizationRecord } from '../../api/src/store/port.js';
import { lotKeyOf } from '../../api/src/domain/lot-key.js';
import { foldStages, instant, journeyOrder, photosByTarget, type Photo, type StageName } from './journey.js';

export type { Photo } from './journey.js';

/**
 * What the origin page tells, read from the lot's signed events (not from mutable records), so
 * the page shows exactly what the verification badge vouches for.
 */
export interface Step {
  eventID: string;
  stepType: string;
  eventTime: string;
  actor: OrganizationRecord | null;
  placeName: string | null;
  gln: string | null;
  geo: [number, number] | null;
  /** Lots the step produced or observed, as "GTIN · lot" or the lot's code (technical details only). */
  lots: string[];
  notes: string | null;
  receiver: OrganizationRecord | null;
  photos: Photo[];
  /** How many like events this entry stands for (a run of identical storage checks, or one step done to several lots, is one entry). */
  repeats: number;
  /** The name the page shows for the actor (a household stands for its cooperative): like steps fold by it. */
  shownActor: string;
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
  /** Every shown step, in journey order (time, and cause within a minute). */
  steps: Step[];
  /** The same steps folded into human stages (the grown stage is told by `plots`). */
  stages: Array<{ stage: StageName; steps: Step[] }>;
  plots: PlotStory[];
  certificates: Certificate[];
  harvest: { from: string; to: string } | null;
}

/** Events that are not steps of the journey: files (shown under what they document) and plot registrations (shown as plots). */
const HIDDEN_STEPS = new Set(['media', 'plot_registration']);

/** CBV 2.0 business steps that are one of our step types under another word (events captured from other systems). */
const CBV_STEP_TYPES: Record<string, string> = { storing: 'storage', inspecting: 'inspection', shipping: 'shipping', receiving: 'receiving', packing: 'packing' };

/** Our step type; for a captured event, its CBV business step (bare word), else its EPCIS type. */
function stepTypeOf(body: Record<string, unknown>): string {
  if (typeof body['ft:stepType'] === 'string') return body['ft:stepType'];
  const word = typeof body.bizStep === 'string' ? /([a-z_]+)$/.exec(body.bizStep)?.[1] : undefined;
  if (word) return CBV_STEP_TYPES[word] ?? word;
  return String(body.type);
}

/** `shownActor` names an organization as the page shows it (see public-names.ts). */
export function lotStory(origin: LotOrigin, shownActor: (org: OrganizationRecord) => string): LotStory {
  const photos = photosByTarget(origin.events);
  const org = (uri: unknown) => (typeof uri === 'string' ? (origin.organizations[uri] ?? null) : null);
  const ordered = journeyOrder(origin.events);

  const steps: Step[] = ordered
    .filter((e) => !HIDDEN_STEPS.has(String(e.body['ft:stepType'])))
    .map(({ body }) => ({
      eventID: String(body.eventID),
      stepType: stepTypeOf(body),
      eventTime: String(body.eventTime),
      actor: org(body['ft:recordedBy']),
      placeName: typeof body['ft:placeName'] === 'string' ? body['ft:placeName'] : null,
      gln: /\/414\/(\d{13})$/.exec(idOf(body.bizLocation) ?? '')?.[1] ?? null,
      geo: geoOf(idOf(body.readPoint)),
      lots: lotsOf(body),
      notes: typeof body['ft:notes'] === 'string' ? body['ft:notes'] : null,
      receiver: org((body.destinationList as Array<{ destination?: unknown }> | undefined)?.[0]?.destination),
      photos: photos.get(String(body.eventID)) ?? [],
      repeats: 1,
      shownActor: ((actor) => (actor ? shownActor(actor) : String(body['ft:recordedBy'] ?? '')))(org(body['ft:recordedBy'])),
      lastTime: null,
    }));

  const plots: PlotStory[] = ordered.flatMap(({ body }) => {
    const plot = plotOf(body);
    if (!plot) return [];
    const plotUri = String((body.epcList as unknown[] | undefined)?.[0] ?? '');
    return [{ ...plot, farmerOrg: org(plot.farmer), photos: [...(photos.get(String(body.eventID)) ?? []), ...(photos.get(plotUri) ?? [])] }];
  });

  const certificates: Certificate[] = plots.flatMap((plot) =>
    (plot.certifications ?? []).map((c) => ({ ...c, stars: c.stars ?? null, holder: plot.name })),
  );

  const harvests = ordered.filter((e) => e.body['ft:stepType'] === 'harvest').map((e) => e.body.ilmd as Record<string, unknown> | undefined);
  const starts = harvests.map((i) => i?.['cbvmda:harvestStartDate']).filter((d): d is string => typeof d === 'string').sort();
  const ends = harvests.map((i) => i?.['cbvmda:harvestEndDate']).filter((d): d is string => typeof d === 'string').sort();
  const folded = foldStages(steps).map(({ stage, steps: inStage }) => ({ stage, steps: foldRuns(inStage) }));

  return {
    steps,
    stages: folded,
    plots,
    certificates,
    harvest: starts.length ? { from: starts[0]!, to: ends[ends.length - 1] ?? starts[0]! } : null,
  };
}

/** The first and last moment of a stage, for its heading. */
export function stageSpan(steps: Step[]): { from: string; to: string } {
  const times = steps.flatMap((s) => [s.eventTime, s.lastTime ?? s.eventTime]).sort((a, b) => instant(a) - instant(b));
  return { from: times[0]!, to: times[times.length - 1]! };
}

function idOf(value: unknown): string | null {
  return value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : null;
}

function geoOf(uri: string | null): [number, number] | null {
  const match = /^geo:(-?[\d.]+),(-?[\d.]+)/.exec(uri ?? '');
  return match ? [Number(match[2]), Number(match[1])] : null;
}

/** "08936123450021 · KN25R-A" for GS1 lot identifiers, the code for ours. */
function lotLabel(epcClass: string): string {
  const key = lotKeyOf(epcClass);
  if (key?.kind === 'gtin-lot') return `${key.gtin} · ${key.lotNumber}`;
  return /:lot:(.+)$/.exec(epcClass)?.[1] ?? epcClass;
}

function lotsOf(body: Record<string, unknown>): string[] {
  const lists = [body.outputQuantityList, body.quantityList] as Array<Array<{ epcClass?: unknown }> | undefined>;
  const classes = lists.flatMap((l) => l ?? []).map((q) => q.epcClass).filter((c): c is string => typeof c === 'string');
  return [...new Set(classes.map(lotLabel))];
}

/**
 * Steps a reader cannot tell apart: same step, actor as shown, place, receiver and notes, no
 * photos, and either the same lots (a run over time) or the same moment (several lots at once).
 */
function alike(run: Step, b: Step): boolean {
  const sameLots = run.lots.join('|') === b.lots.join('|');
  const sameMoment = run.eventTime === b.eventTime && (run.lastTime === null || run.lastTime === run.eventTime);
  return (
    run.stepType === b.stepType &&
    run.shownActor === b.shownActor &&
    run.placeName === b.placeName &&
    run.gln === b.gln &&
    (sameLots || sameMoment) &&
    run.receiver?.id === b.receiver?.id &&
    run.notes === b.notes &&
    run.photos.length === 0 &&
    b.photos.length === 0
  );
}

/**
 * Consecutive like steps (a warehouse logging the lot every hour, three lots hulled together)
 * become one entry with a count and a time span, so a long history stays a readable, small page;
 * every event is still in the bundle the badge verifies, and in the technical details.
 */
function foldRuns(steps: Step[]): Step[] {
  const out: Step[] = [];
  for (const step of steps) {
    const last = out[out.length - 1];
    if (last && alike(last, step)) {
      last.repeats += 1;
      last.lastTime = step.eventTime;
      last.lots = [...new Set([...last.lots, ...step.lots])];
    } else {
      out.push({ ...step });
    }
  }
  return out;
}
