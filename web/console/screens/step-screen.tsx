import { useState } from 'preact/hooks';
import { formatLocaleNumber } from '../../../api/src/domain/locale-number.js';
import { findRecord, type FarmRecords } from '../farm-records.js';
import { localDateTimeInput, readableDay, withLocalOffset } from '../local-time.js';
import { FARM_STEP_TYPES, type ConsoleMessages, type FarmStepType } from '../messages.js';
import { newLocalId, type NewOutboxEntry } from '../outbox.js';
import { refusalOf } from '../refusal.js';
import { PhotoInput } from './photo-input.js';
import { DiscardButton, FieldReason, invalidIf, RefusedNotice, type RefusedEntry } from './refused-entry.js';
import { ScreenHeading } from './screen-heading.js';

interface Props {
  m: ConsoleMessages;
  batches: FarmRecords['batches'];
  plots: FarmRecords['plots'];
  onSave: (entries: NewOutboxEntry[]) => Promise<void>;
  /** A step the server refused, reopened to be corrected and sent again. */
  refused?: RefusedEntry;
}

interface StepBody {
  type: FarmStepType;
  occurredAt: string;
  notes?: string;
}

/**
 * How a lot is told apart from the farm's other lots of the same product: its harvest day, its
 * plots, its quantity and its lot number ("Cà phê · 25/11/2026 · Rẫy Ea Tóh 1 · 1.250 kg · KN-01").
 */
export function batchChoiceLabel(m: ConsoleMessages, batch: FarmRecords['batches'][number], plots: FarmRecords['plots']): string {
  return [batch.product, batchDetails(m, batch, plots)].join(' · ');
}

/** Everything but the product: the line under the chooser, where a phone's narrow select cuts the label short. */
function batchDetails(m: ConsoleMessages, batch: FarmRecords['batches'][number], plots: FarmRecords['plots']): string {
  const number = (n: number) => formatLocaleNumber(n, m.htmlLang);
  const q = batch.quantity;
  const quantity = `${number(q.value)} ${m.units[q.unit]}${q.unit === 'bag' && q.bagKg ? ` × ${number(q.bagKg)} kg` : ''}`;
  const plotNames = batch.plotIds.map((id) => findRecord(plots, id)?.name).filter(Boolean).join(', ');
  const period = batch.harvestPeriod;
  const harvested = batch.harvestedAt ? readableDay(batch.harvestedAt, m.locale) : period ? `${readableDay(period.from, m.locale)} – ${readableDay(period.to, m.locale)}` : '';
  return [harvested, plotNames, quantity, batch.lotNumber].filter(Boolean).join(' · ');
}

/** A processing or storage step on one of the farm's lots, with a photo from the camera attached to the step. */
export function StepScreen({ m, batches, plots, onSave, refused }: Props) {
  const was = refused?.item.json as StepBody | undefined;
  const why = refusalOf('step', refused?.item);
  const [batchId, setBatchId] = useState(refused ? (/^\/api\/v1\/batches\/([^/]+)\/steps$/.exec(refused.item.path)?.[1] ?? '') : '');
  const [type, setType] = useState<FarmStepType>(was?.type ?? 'drying');
  // The time as it was typed: the offset the phone added when saving is dropped again.
  const [occurredAt, setOccurredAt] = useState(was?.occurredAt.slice(0, 16) ?? localDateTimeInput());
  const [notes, setNotes] = useState(was?.notes ?? '');
  const [photo, setPhoto] = useState<File | null>(null);
  const [saving, setSaving] = useState(false);
  const batch = findRecord(batches, batchId) ?? (batchId ? undefined : batches[0]);
  const ready = Boolean(batch) && occurredAt !== '' && occurredAt <= localDateTimeInput();

  const save = async (event: Event) => {
    event.preventDefault();
    if (!batch || !ready) return;
    setSaving(true);
    const stepId = newLocalId();
    const body = { type, occurredAt: withLocalOffset(occurredAt), ...(notes.trim() ? { notes: notes.trim() } : {}) };
    const entries: NewOutboxEntry[] = [{ kind: 'step', path: `/api/v1/batches/${batch.id}/steps`, json: body, localId: stepId }];
    if (photo) entries.push({ kind: 'photo', path: `/api/v1/batches/${batch.id}/steps/${stepId}/media`, photo, photoName: photo.name });
    await onSave(entries);
  };

  return (
    <form onSubmit={save}>
      <ScreenHeading>{m.stepHeading}</ScreenHeading>
      {refused && why ? <RefusedNotice m={m} refused={refused} refusal={why} /> : null}
      {batches.length ? (
        <>
          <label for="step-batch">{m.whichBatch}</label>
          <select id="step-batch" aria-describedby="step-batch-details" value={batch?.id ?? ''} onChange={(e) => setBatchId(e.currentTarget.value)}>
            {batches.map((b) => (
              <option key={b.id} value={b.id}>
                {batchChoiceLabel(m, b, plots)}
              </option>
            ))}
          </select>
          <p class="small" id="step-batch-details">
            {batch ? batchDetails(m, batch, plots) : null}
          </p>
        </>
      ) : (
        <p class="note">{m.noBatchesYet}</p>
      )}
      <label for="step-type">{m.stepType}</label>
      <select id="step-type" value={type} onChange={(e) => setType(e.currentTarget.value as FarmStepType)} {...invalidIf(why?.fields.type, 'step-type-reason')}>
        {FARM_STEP_TYPES.map((t) => (
          <option key={t} value={t}>
            {m.stepTypes[t]}
          </option>
        ))}
      </select>
      <FieldReason m={m} reasons={why?.fields.type} id="step-type-reason" />
      <label for="step-time">{m.occurredAt}</label>
      <input id="step-time" type="datetime-local" required max={localDateTimeInput()} value={occurredAt} onInput={(e) => setOccurredAt(e.currentTarget.value)} {...invalidIf(why?.fields.time, 'step-time-reason')} />
      <FieldReason m={m} reasons={why?.fields.time} id="step-time-reason" />
      <label for="step-notes">{m.notes}</label>
      <input id="step-notes" maxLength={2000} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} {...invalidIf(why?.fields.notes, 'step-notes-reason')} />
      <FieldReason m={m} reasons={why?.fields.notes} id="step-notes-reason" />
      {/* A photo recorded with a refused step is its own entry, held until the step is sent. */}
      {refused ? null : <PhotoInput m={m} id="step-photo" photo={photo} onPhoto={setPhoto} />}
      <div class="actions">
        <a class="button" href="#/">
          {m.cancel}
        </a>
        <button class="primary" type="submit" disabled={!ready || saving}>
          {refused ? m.resend : m.saveStep}
        </button>
      </div>
      {refused ? <DiscardButton m={m} waiting={refused.waiting.length} onDiscard={refused.onDiscard} /> : null}
    </form>
  );
}
