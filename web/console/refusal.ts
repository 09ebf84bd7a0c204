import type { Problem } from './api-client.js';
import type { ConsoleMessages } from './messages.js';
import type { OutboxEntry, OutboxKind } from './outbox.js';
import { fieldErrorText, problemText, type CodedFieldError, type CodedProblem } from './problem-messages.js';

/**
 * Why the server refused an outbox entry, as its form shows it: each field error of the problem
 * (`errors[].path`) next to the form field it names, and the rest above the form.
 */

/** A field error, or the whole problem when no field error came with it. */
export type ServerReason = CodedFieldError | CodedProblem;

/**
 * The one place the console turns a refusal into what the farmer reads: the reason's machine
 * code looked up in the translated table (problem-messages.ts), never the server's English.
 */
export function serverReason(m: ConsoleMessages, reason: ServerReason): string {
  return 'status' in reason ? problemText(reason, m.lang) : fieldErrorText(reason, m.lang);
}

/**
 * The API's field paths and the form fields they belong to, per kind of entry: a path matches
 * its prefix exactly or continued by `.` or `[` (`quantity.value`, `plotIds[0]`); the first match
 * wins, so the more specific prefix comes first.
 */
const FORM_FIELDS = {
  plot: [
    ['name', 'name', 'plotName'],
    ['crops', 'crop', 'crop'],
    ['geometry', 'shape', 'shapeHeading'],
    ['declaredAreaHa', 'declared', 'declaredArea'],
  ],
  batch: [
    ['plotIds', 'plot', 'whichPlot'],
    ['product', 'product', 'product'],
    ['quantity.bagKg', 'bagKg', 'bagKg'],
    ['quantity.unit', 'unit', 'unit'],
    ['quantity', 'quantity', 'quantity'],
    ['harvestedAt', 'date', 'harvestDate'],
    ['harvestPeriod', 'date', 'harvestDate'],
    ['lotNumber', 'lot', 'lotNumber'],
  ],
  step: [
    ['type', 'type', 'stepType'],
    ['occurredAt', 'time', 'occurredAt'],
    ['notes', 'notes', 'notes'],
  ],
  photo: [['file', 'photo', 'photo']],
} as const satisfies Record<OutboxKind, ReadonlyArray<readonly [string, string, FieldLabel]>>;

/** The message keys that name a form field (the label the field has on its form). */
type FieldLabel = { [K in keyof ConsoleMessages]: ConsoleMessages[K] extends string ? K : never }[keyof ConsoleMessages];
type Row = readonly [string, string, FieldLabel];

function rowFor(kind: OutboxKind, path: string): Row | undefined {
  const table: readonly Row[] = FORM_FIELDS[kind];
  return table.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`));
}

export type FormField<K extends OutboxKind> = (typeof FORM_FIELDS)[K][number][1];

export interface Refusal<K extends OutboxKind> {
  /** The reasons that name a field of the form, by field. */
  fields: Partial<Record<FormField<K>, ServerReason[]>>;
  /** The reasons that name no field of the form (or the problem's own detail when no field error came with it). */
  other: ServerReason[];
}

function problemOf(entry: OutboxEntry): Problem | null {
  return entry.status === 'refused' && entry.lastError?.kind === 'problem' ? entry.lastError.problem : null;
}

/** The refused entry's reasons, sorted to the fields of its form; null when the entry is not refused. */
export function refusalOf<K extends OutboxKind>(kind: K, entry: OutboxEntry | null | undefined): Refusal<K> | null {
  if (!entry || entry.status !== 'refused') return null;
  const problem = problemOf(entry);
  const refusal: Refusal<K> = { fields: {}, other: [] };
  for (const error of problem?.errors ?? []) {
    const field = rowFor(kind, error.path)?.[1] as FormField<K> | undefined;
    if (field) (refusal.fields[field] ??= []).push(error);
    else refusal.other.push(error);
  }
  if (problem && !problem.errors?.length) refusal.other.push(problem);
  return refusal;
}

/** Every reason of a refused entry, for the sync list, each after the label of the field it names. */
export function allReasons(m: ConsoleMessages, entry: OutboxEntry): string[] {
  const problem = problemOf(entry);
  if (!problem) return [];
  if (!problem.errors?.length) return [serverReason(m, problem)];
  return problem.errors.map((e) => {
    const label = rowFor(entry.kind, e.path)?.[2];
    return label ? `${m[label]}: ${serverReason(m, e)}` : serverReason(m, e);
  });
}
