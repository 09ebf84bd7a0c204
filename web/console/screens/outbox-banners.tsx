import type { ConsoleMessages } from '../messages.js';
import type { EntryState, OutboxItem, OutboxKind } from '../outbox.js';

/** What the farmer just saved (or corrected): its entries' `seq`s and the kind of its main write. */
export interface JustSaved {
  seqs: number[];
  kind: OutboxKind;
}

/** Where a group of entries saved together stands: refused if any is refused or held, sent when all are (a pruned entry was sent). */
function groupState(items: OutboxItem[], seqs: number[]): EntryState {
  const states = seqs.map((seq) => items.find((i) => i.seq === seq)?.state ?? 'synced');
  if (states.some((s) => s === 'refused' || s === 'held')) return 'refused';
  if (states.every((s) => s === 'synced')) return 'synced';
  return states.includes('sending') ? 'sending' : 'queued';
}

/** The refused entry to open for a group: one of its own, or the one its held entries wait for. */
function fixTarget(items: OutboxItem[], seqs: number[]): number | null {
  const group = items.filter((i) => seqs.includes(i.seq));
  return group.find((i) => i.state === 'refused')?.seq ?? group.find((i) => i.waitsFor !== null)?.waitsFor ?? null;
}

/**
 * The confirmation after a form is saved, kept true as the entries move: saved on this phone and
 * not sent yet, sent, or refused (with the way to the form). Green only when it was sent and
 * nothing on the phone is refused.
 */
export function SavedBanner({ m, items, saved }: { m: ConsoleMessages; items: OutboxItem[]; saved: JustSaved | null }) {
  const state = saved ? groupState(items, saved.seqs) : null;
  const anyRefused = items.some((i) => i.state === 'refused');
  const fix = state === 'refused' && saved ? fixTarget(items, saved.seqs) : null;
  const tone = state === 'refused' ? 'error' : state === 'synced' && !anyRefused ? 'ok' : state ? 'note' : '';
  return (
    <p aria-live="polite" role="status" id="saved-state" class={tone} data-state={state ?? undefined}>
      {saved && state ? (
        <>
          {/* A refusal names what was refused: the photo, when the step it came with was sent. */}
          {m.kinds[items.find((i) => i.seq === fix)?.kind ?? saved.kind]} — {m.status[state]}
          {fix !== null ? (
            <>
              {' '}
              <a href={`#/fix/${fix}`}>{m.fixAndResend}</a>
            </>
          ) : null}
        </>
      ) : null}
    </p>
  );
}

/**
 * On the home screen while anything is refused: how many, and the way to fix them. Left out while
 * the confirmation of what was just saved already says it is refused and links to its form.
 */
export function RefusedBanner({ m, items, saved }: { m: ConsoleMessages; items: OutboxItem[]; saved: JustSaved | null }) {
  const refused = items.filter((i) => i.state === 'refused');
  const saidAlready = new Set(saved ? items.filter((i) => saved.seqs.includes(i.seq)).map((i) => i.waitsFor ?? i.seq) : []);
  if (refused.every((i) => saidAlready.has(i.seq))) return null;
  return (
    <p class="error" id="refused-banner">
      {m.refusedCount(refused.length)} <a href="#/sync">{m.reviewRefused}</a>
    </p>
  );
}
