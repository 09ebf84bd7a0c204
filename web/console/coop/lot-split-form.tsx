import { useState } from 'preact/hooks';
import { localDateTimeInput, withLocalOffset } from '../local-time.js';
import { FormSubmit, useAction, useCoop, useMessages } from './coop-context.js';
import type { Lot } from './lot-display.js';
import { LOTS_MESSAGES } from './messages/lots.js';
import { EMPTY_QUANTITY, QuantityInput, quantityOf, type QuantityDraft } from './quantity-input.js';

interface PartDraft {
  key: number;
  quantity: QuantityDraft;
  product: string;
  lotNumber: string;
}

const newPart = (key: number): PartDraft => ({ key, quantity: EMPTY_QUANTITY, product: '', lotNumber: '' });

/** Splits the lot into two or more new lots, then opens the first of them. */
export function LotSplitForm({ lot }: { lot: Lot }) {
  const m = useMessages(LOTS_MESSAGES);
  const { lang } = useCoop();
  const action = useAction();
  const [parts, setParts] = useState<PartDraft[]>([newPart(0), newPart(1)]);
  const [occurredAt, setOccurredAt] = useState(localDateTimeInput());
  const [placeName, setPlaceName] = useState('');
  const update = (key: number, change: Partial<PartDraft>) => setParts(parts.map((p) => (p.key === key ? { ...p, ...change } : p)));

  const split = async (event: Event) => {
    event.preventDefault();
    const result = await action.run<{ items: Lot[] }>(`/api/v1/batches/${encodeURIComponent(lot.id)}/split`, {
      json: {
        outputs: parts.map((p) => ({
          quantity: quantityOf(p.quantity, lang),
          ...(p.product.trim() ? { product: p.product.trim() } : {}),
          ...(p.lotNumber.trim() ? { lotNumber: p.lotNumber.trim() } : {}),
        })),
        occurredAt: withLocalOffset(occurredAt),
        ...(placeName.trim() ? { place: { name: placeName.trim() } } : {}),
      },
    });
    const first = result?.items[0];
    if (first) location.hash = `#/coop/lots/${encodeURIComponent(first.id)}`;
  };

  return (
    <form id="split-form" onSubmit={split} aria-labelledby="split-heading">
      <h2 id="split-heading">{m.splitHeading}</h2>
      <p>{m.splitIntro}</p>
      {parts.map((part, i) => (
        <QuantityInput key={part.key} id={`split-${i}`} legend={m.splitPart(i + 1)} required draft={part.quantity} onChange={(quantity) => update(part.key, { quantity })}>
          <div class="row">
            <div>
              <label for={`split-${i}-product`}>{m.partProduct}</label>
              <input id={`split-${i}-product`} maxLength={100} placeholder={lot.product} value={part.product} onInput={(e) => update(part.key, { product: e.currentTarget.value })} />
            </div>
            <div>
              <label for={`split-${i}-lot`}>{m.partLotNumber}</label>
              <input id={`split-${i}-lot`} maxLength={20} value={part.lotNumber} onInput={(e) => update(part.key, { lotNumber: e.currentTarget.value })} />
            </div>
          </div>
          {parts.length > 2 ? (
            <div class="actions">
              <button type="button" onClick={() => setParts(parts.filter((p) => p.key !== part.key))}>
                {m.removePart(i + 1)}
              </button>
            </div>
          ) : null}
        </QuantityInput>
      ))}
      <div class="actions">
        <button type="button" onClick={() => setParts([...parts, newPart(Math.max(...parts.map((p) => p.key)) + 1)])}>
          {m.addPart}
        </button>
      </div>
      <div class="row">
        <div>
          <label for="split-time">{m.occurredAt}</label>
          <input id="split-time" type="datetime-local" required value={occurredAt} onInput={(e) => setOccurredAt(e.currentTarget.value)} />
        </div>
        <div>
          <label for="split-place">{m.placeName}</label>
          <input id="split-place" maxLength={200} value={placeName} onInput={(e) => setPlaceName(e.currentTarget.value)} />
        </div>
      </div>
      <FormSubmit action={action} label={m.split} />
    </form>
  );
}
