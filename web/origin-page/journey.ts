/**
 * How a lot's signed events become the journey a buyer reads: in time order with same-minute
 * events in causal order, each photo under the event it documents, and the steps folded into a
 * few human stages. Pure functions over the decoded events, so the rules are tested on their own
 * (api/test/origin-journey.test.ts).
 */

/** An event of the lot's history: its hash (what `ft:prev` names) and its signed body. */
export interface JourneyEvent {
  hash: string;
  body: Record<string, unknown>;
}

export interface Photo {
  /** SHA-256 of each WebP rendition, by width. */
  renditions: Array<{ width: number; sha256: string }>;
  takenAt: string | null;
}

/** The stages the journey is told in, in the order they are shown. */
export const STAGES = ['grown', 'harvested', 'processed', 'packed', 'shipped'] as const;
export type StageName = (typeof STAGES)[number];

/**
 * Where each step type belongs. Steps not named here (storage, inspection, a CBV step captured
 * from another system) take their stage from their neighbours: see `stageOf`.
 */
const FIXED_STAGE: Record<string, StageName> = {
  plot_registration: 'grown',
  harvest: 'harvested',
  drying: 'processed',
  fermenting: 'processed',
  hulling: 'processed',
  sorting: 'processed',
  roasting: 'processed',
  grinding: 'processed',
  merge: 'processed',
  packing: 'packed',
  split: 'packed',
};
/** Moving and keeping the goods: part of processing while processing or packing follows, else of shipping. */
const MOVEMENT = new Set(['shipping', 'receiving', 'storage']);

const MINUTE_MS = 60_000;

export function instant(time: unknown): number {
  const ms = typeof time === 'string' ? Date.parse(time) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

function prevOf(event: JourneyEvent): string[] {
  const prev = event.body['ft:prev'];
  return Array.isArray(prev) ? prev.filter((p): p is string => typeof p === 'string') : [];
}

/**
 * The events in the order the journey tells them: by eventTime, and within one minute by cause
 * (an event after every event it follows through `ft:prev`, directly or through events outside
 * that minute), then by eventTime, recordTime (the order the record was appended in) and the
 * given order. Different minutes keep time order even against the graph: a plot registered
 * today still feeds a harvest recorded for last year.
 */
export function journeyOrder<E extends JourneyEvent>(events: E[]): E[] {
  const byHash = new Map(events.map((e) => [e.hash, e]));
  const keyed = events.map((event, index) => ({ event, index, at: instant(event.body.eventTime), recorded: instant(event.body.recordTime) }));
  keyed.sort((a, b) => Math.floor(a.at / MINUTE_MS) - Math.floor(b.at / MINUTE_MS) || a.at - b.at || a.recorded - b.recorded || a.index - b.index);

  const ancestorsMemo = new Map<string, Set<string>>();
  const ancestors = (hash: string): Set<string> => {
    const known = ancestorsMemo.get(hash);
    if (known) return known;
    const seen = new Set<string>();
    const stack = [...prevOf(byHash.get(hash)!)];
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next) || !byHash.has(next)) continue;
      seen.add(next);
      stack.push(...prevOf(byHash.get(next)!));
    }
    ancestorsMemo.set(hash, seen);
    return seen;
  };

  const out: E[] = [];
  for (let start = 0; start < keyed.length; ) {
    const minute = Math.floor(keyed[start]!.at / MINUTE_MS);
    let end = start;
    while (end < keyed.length && Math.floor(keyed[end]!.at / MINUTE_MS) === minute) end++;
    const group = keyed.slice(start, end).map((k) => k.event);
    if (group.length === 1) out.push(group[0]!);
    else {
      // Within the minute: repeatedly take the first event no remaining event is an ancestor of.
      const left = [...group];
      while (left.length) {
        const i = left.findIndex((candidate) => !left.some((other) => other !== candidate && ancestors(candidate.hash).has(other.hash)));
        // A cycle cannot be signed (a hash cannot name its own descendant), so i is found; -1 would only mean a corrupt graph.
        out.push(left.splice(Math.max(i, 0), 1)[0]!);
      }
    }
    start = end;
  }
  return out;
}

function mediaFiles(body: Record<string, unknown>): Photo[] {
  const files = (body['ft:mediaDetails'] as Array<{ renditions?: Photo['renditions']; evidence?: { takenAt?: string | null } }> | undefined) ?? [];
  return files.filter((f) => f.renditions?.length).map((f) => ({ renditions: f.renditions!, takenAt: f.evidence?.takenAt ?? null }));
}

const isMedia = (e: JourneyEvent | undefined): boolean => e?.body['ft:stepType'] === 'media';

/**
 * The photos of the history, by what they show: the eventID of the step they were attached to
 * (`ft:attachesTo`); for a plot's photo, the plot's URI; for a photo of the lot itself, the event
 * the lot was at when the photo was added (the media event's `ft:prev`, past other media events),
 * so the harvest photo a farmer takes with a new lot sits under that harvest, not under whatever
 * step happens to come last. Each target's photos in the order they were added.
 */
export function photosByTarget(events: JourneyEvent[]): Map<string, Photo[]> {
  const byHash = new Map(events.map((e) => [e.hash, e]));
  const out = new Map<string, Photo[]>();
  const add = (target: string, photos: Photo[]) => out.set(target, [...(out.get(target) ?? []), ...photos]);
  for (const event of journeyOrder(events)) {
    const { body } = event;
    if (!isMedia(event)) continue;
    const photos = mediaFiles(body);
    if (!photos.length) continue;
    const plotUri = (body.epcList as unknown[] | undefined)?.[0];
    if (typeof body['ft:attachesTo'] === 'string') add(body['ft:attachesTo'], photos);
    else if (typeof plotUri === 'string') add(plotUri, photos);
    else add(documentedEvent(event, byHash), photos);
  }
  return out;
}

/** The eventID of the first non-media event behind a lot's media event ('' when there is none in the history). */
function documentedEvent(media: JourneyEvent, byHash: Map<string, JourneyEvent>): string {
  let current: JourneyEvent | undefined = media;
  const seen = new Set<string>();
  while (isMedia(current) && current && !seen.has(current.hash)) {
    seen.add(current.hash);
    // A lot's head is one event; a media event follows exactly that one.
    current = byHash.get(prevOf(current)[0] ?? '');
  }
  return current && !isMedia(current) && typeof current.body.eventID === 'string' ? current.body.eventID : '';
}

/**
 * The stage of each step, given the steps in journey order: harvests are harvested, drying to
 * grinding and blending are processed, packing and splitting into retail lots are packed. Moving
 * and storing belong to the next processing or packing step when one follows (taking the
 * cherries to the mill is part of processing), else to shipping. Inspections and steps of other
 * systems join the stage of the step before them (else after them; else processed).
 */
export function stagesOf(stepTypes: string[]): StageName[] {
  const fixed = stepTypes.map((t) => FIXED_STAGE[t] ?? null);
  const placed: Array<StageName | null> = stepTypes.map((t, i) => {
    if (fixed[i]) return fixed[i];
    if (!MOVEMENT.has(t)) return null;
    const later = fixed.slice(i + 1).find((s) => s === 'processed' || s === 'packed');
    return later ?? 'shipped';
  });
  return placed.map((stage, i) => stage ?? placed.slice(0, i).findLast((s) => s !== null) ?? placed.slice(i + 1).find((s) => s !== null) ?? 'processed');
}

/** The steps grouped by stage, stages in STAGES order, steps in the given (journey) order; empty stages left out. */
export function foldStages<S extends { stepType: string }>(steps: S[]): Array<{ stage: StageName; steps: S[] }> {
  const stages = stagesOf(steps.map((s) => s.stepType));
  return STAGES.map((stage) => ({ stage, steps: steps.filter((_, i) => stages[i] === stage) })).filter((g) => g.steps.length > 0);
}
