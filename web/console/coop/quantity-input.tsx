import type { ComponentChildren } from 'preact';
import type { Quantity } from './lot-display.js';
import { useMessages } from './coop-context.js';
import { LOTS_MESSAGES } from './messages/lots.js';

/** A quantity as typed: empty text means "not given". */
export interface QuantityDraft {
  value: string;
  unit: Quantity['unit'];
  bagKg: string;
}

export const EMPTY_QUANTITY: QuantityDraft = { value: '', unit: 'kg', bagKg: '' };

/** The API's quantity, or undefined when no value was typed; the server judges the numbers. */
export function quantityOf(draft: QuantityDraft): Quantity | undefined {
  if (draft.value.trim() === '') return undefined;
  const value = Number(draft.value);
  return draft.unit === 'bag' ? { value, unit: 'bag', bagKg: Number(draft.bagKg) } : { value, unit: draft.unit };
}

interface Props {
  /** Prefixes the inputs' ids. */
  id: string;
  legend: string;
  draft: QuantityDraft;
  onChange: (draft: QuantityDraft) => void;
  required?: boolean;
  /** More fields of the same group, after the quantity (a split part's product and lot number). */
  children?: ComponentChildren;
}

/** Value, unit and, for bags, the bag's size, in a fieldset of their own. */
export function QuantityInput({ id, legend, draft, onChange, required = false, children }: Props) {
  const m = useMessages(LOTS_MESSAGES);
  return (
    <fieldset class="quantity">
      <legend>{legend}</legend>
      <div class="row">
        <div>
          <label for={`${id}-value`}>{m.quantity}</label>
          <input id={`${id}-value`} type="number" inputMode="decimal" min="0" step="any" required={required} value={draft.value} onInput={(e) => onChange({ ...draft, value: e.currentTarget.value })} />
        </div>
        <div>
          <label for={`${id}-unit`}>{m.unit}</label>
          <select id={`${id}-unit`} value={draft.unit} onChange={(e) => onChange({ ...draft, unit: e.currentTarget.value as Quantity['unit'] })}>
            {(['kg', 't', 'bag'] as const).map((unit) => (
              <option key={unit} value={unit}>
                {m.units[unit]}
              </option>
            ))}
          </select>
        </div>
        {draft.unit === 'bag' ? (
          <div>
            <label for={`${id}-bag`}>{m.bagKg}</label>
            <input id={`${id}-bag`} type="number" inputMode="decimal" min="0" step="any" required value={draft.bagKg} onInput={(e) => onChange({ ...draft, bagKg: e.currentTarget.value })} />
          </div>
        ) : null}
      </div>
      {children}
    </fieldset>
  );
}
