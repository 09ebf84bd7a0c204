import { useState } from 'preact/hooks';
import { formatLocaleNumber } from '../../../api/src/domain/locale-number.js';
import { findRecord, type FarmRecords } from '../farm-records.js';
import { localDateTimeInput, readableDay, withLocalOffset } from '../local-time.js';
import { FARM_STEP_TYPES, type ConsoleMessages, type FarmStepType } from '../messages.js';
import { newLocalId, type NewOutboxEntry } from '../outbox.js';
import { PhotoInput } from './photo-input.js';
import { ScreenHeading } from './screen-heading.js';

interface Props {
  m: ConsoleMessages;
  batches: FarmRecords['batches'];
  plots: FarmRecords['plots'];
  onSave: (entries: NewOutboxEntry[], message: string) => Promise<void>;
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
export function StepScreen({ m, batches, plots, onSave }: Props) {
  const [batchId, setBatchId] = useState('');
  const [type, setType] = useState<FarmStepType>('drying');
  const [occurredAt, setOccurredAt] = useState(localDateTimeInput());
  const [notes, setNotes] = useState('');
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
    await onSave(entries, m.stepQueued);
  };

  return (
    <form onSubmit={save}>
      <ScreenHeading>{m.stepHeading}</ScreenHeading>
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
      <select id="step-type" value={type} onChange={(e) => setType(e.currentTarget.value as FarmStepType)}>
        {FARM_STEP_TYPES.map((t) => (
          <option key={t} value={t}>
            {m.stepTypes[t]}
          </option>
        ))}
      </select>
      <label for="step-time">{m.occurredAt}</label>
      <input id="step-time" type="datetime-local" required max={localDateTimeInput()} value={occurredAt} onInput={(e) => setOccurredAt(e.currentTarget.value)} />
      <label for="step-notes">{m.notes}</label>
      <input id="step-notes" maxLength={2000} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />
      <PhotoInput m={m} id="step-photo" photo={photo} onPhoto={setPhoto} />
      <div class="actions">
        <a class="button" href="#/">
          {m.cancel}
        </a>
        <button class="primary" type="submit" disabled={!ready || saving}>
          {m.saveStep}
        </button>
      </div>
    </form>
  );
}
