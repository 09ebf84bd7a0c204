import { useState } from 'preact/hooks';
import { localDateTimeInput, withLocalOffset } from '../local-time.js';
import { FailureNotice, useAction, useCoop, useMessages } from './coop-context.js';
import { STEP_TYPES } from '../../../api/src/domain/vocabulary.js';
import { LOTS_MESSAGES } from './messages/lots.js';
import { EMPTY_QUANTITY, QuantityInput, quantityOf, type QuantityDraft } from './quantity-input.js';

type StepType = (typeof STEP_TYPES)[number];

/** Records one step on the lot (any of the API's step types), then uploads its photo to the step. */
export function LotStepForm({ lotId, onRecorded }: { lotId: string; onRecorded: () => void }) {
  const m = useMessages(LOTS_MESSAGES);
  const { lang } = useCoop();
  const step = useAction();
  const photoUpload = useAction();
  const [type, setType] = useState<StepType>('drying');
  const [receiver, setReceiver] = useState('');
  const [occurredAt, setOccurredAt] = useState(localDateTimeInput());
  const [placeName, setPlaceName] = useState('');
  const [placeGln, setPlaceGln] = useState('');
  const [notes, setNotes] = useState('');
  const [input, setInput] = useState<QuantityDraft>(EMPTY_QUANTITY);
  const [output, setOutput] = useState<QuantityDraft>(EMPTY_QUANTITY);
  const [photo, setPhoto] = useState<File | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [saved, setSaved] = useState('');

  const save = async (event: Event) => {
    event.preventDefault();
    setSaved('');
    const inputQuantity = quantityOf(input, lang);
    const outputQuantity = quantityOf(output, lang);
    const place = { ...(placeName.trim() ? { name: placeName.trim() } : {}), ...(placeGln.trim() ? { gln: placeGln.trim() } : {}) };
    const recorded = await step.run<{ id: string }>(`/api/v1/batches/${encodeURIComponent(lotId)}/steps`, {
      json: {
        type,
        occurredAt: withLocalOffset(occurredAt),
        ...(type === 'shipping' ? { receiver: receiver.trim() } : {}),
        ...(Object.keys(place).length ? { place } : {}),
        ...(notes.trim() ? { notes: notes.trim() } : {}),
        ...(inputQuantity ? { inputs: [{ quantity: inputQuantity }] } : {}),
        ...(outputQuantity ? { outputs: [{ quantity: outputQuantity }] } : {}),
      },
    });
    if (!recorded) return;
    if (photo) {
      const form = new FormData();
      form.append('file', photo, photo.name);
      await photoUpload.run(`/api/v1/batches/${encodeURIComponent(lotId)}/steps/${recorded.id}/media`, { form });
    }
    setSaved(m.stepSaved(m.stepTypes[type]));
    setNotes('');
    setInput(EMPTY_QUANTITY);
    setOutput(EMPTY_QUANTITY);
    setPhoto(null);
    setFormKey((k) => k + 1);
    onRecorded();
  };

  return (
    <form id="step-form" onSubmit={save} aria-labelledby="step-form-heading">
      <h2 id="step-form-heading">{m.stepFormHeading}</h2>
      <div class="row">
        <div>
          <label for="step-type">{m.stepType}</label>
          <select id="step-type" value={type} onChange={(e) => setType(e.currentTarget.value as StepType)}>
            {STEP_TYPES.map((t) => (
              <option key={t} value={t}>
                {m.stepTypes[t]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="step-time">{m.occurredAt}</label>
          <input id="step-time" type="datetime-local" required value={occurredAt} onInput={(e) => setOccurredAt(e.currentTarget.value)} />
        </div>
      </div>
      {type === 'shipping' ? (
        <>
          <label for="step-receiver">{m.receiver}</label>
          <input id="step-receiver" required aria-describedby="step-receiver-hint" value={receiver} onInput={(e) => setReceiver(e.currentTarget.value)} />
          <small id="step-receiver-hint">{m.receiverHint}</small>
        </>
      ) : null}
      <div class="row">
        <div>
          <label for="step-place">{m.placeName}</label>
          <input id="step-place" maxLength={200} value={placeName} onInput={(e) => setPlaceName(e.currentTarget.value)} />
        </div>
        <div>
          <label for="step-gln">{m.placeGln}</label>
          <input id="step-gln" inputMode="numeric" maxLength={13} value={placeGln} onInput={(e) => setPlaceGln(e.currentTarget.value)} />
        </div>
      </div>
      <label for="step-notes">{m.notes}</label>
      <input id="step-notes" maxLength={2000} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />
      <p class="small">{m.weightLossHint}</p>
      <div class="row wrap">
        <QuantityInput id="step-input" legend={m.inputQuantity} draft={input} onChange={setInput} />
        <QuantityInput id="step-output" legend={m.outputQuantity} draft={output} onChange={setOutput} />
      </div>
      <label for="step-photo">{m.stepPhoto}</label>
      <input key={formKey} id="step-photo" type="file" accept="image/*" onChange={(e) => setPhoto(e.currentTarget.files?.[0] ?? null)} />
      <FailureNotice failure={step.failure} />
      {photoUpload.failure ? (
        <>
          <p class="error">{m.stepSavedPhotoFailed}</p>
          <FailureNotice failure={photoUpload.failure} />
        </>
      ) : null}
      <p role="status" class={saved ? 'ok' : undefined}>
        {saved}
      </p>
      <div class="actions">
        <button class="primary" type="submit" disabled={step.busy || photoUpload.busy} aria-busy={step.busy || photoUpload.busy}>
          {m.saveStep}
        </button>
      </div>
    </form>
  );
}
