import type { ComponentChildren } from 'preact';
import type { ConsoleLang } from '../messages.js';
import { NumberField, numberOf } from '../number-field.js';
import type { Quantity } from './lot-display.js';
import { useCoop, useMessages } from './coop-context.js';
import { LOTS_MESSAGES } from './messages/lots.js';

/** A quantity as typed: empty text means "not given". */
export interface QuantityDraft {
  value: string;
  unit: Quantity['unit'];
  bagKg: string;
}

export const EMPTY_QUANTITY: QuantityDraft = { value: '', unit: 'kg', bagKg: '' };

/** A lot's weight, and a bag's size, are positive amounts. */
const AMOUNT = { positive: true } as const;

/**
 * The API's quantity, or undefined when no value was typed. The numbers are read in the UI
 * language's convention; an unreadable one never gets here, because its field keeps the form from
 * being submitted (should one slip through, it is sent as null and the server names the field).
 */
export function quantityOf(draft: QuantityDraft, lang: ConsoleLang): Quantity | undefined {
  if (draft.value.trim() === '') return undefined;
  const value = numberOf(draft.value, lang, AMOUNT) ?? Number.NaN;
  return draft.unit === 'bag' ? { value, unit: 'bag', bagKg: numberOf(draft.bagKg, lang, AMOUNT) ?? Number.NaN } : { value, unit: draft.unit };
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

/** Value, unit and, for bags, the bag's size, in a fieldset of their own; each number is read back in words as it is typed. */
export function QuantityInput({ id, legend, draft, onChange, required = false, children }: Props) {
  const m = useMessages(LOTS_MESSAGES);
  const { lang } = useCoop();
  return (
    <fieldset class="quantity">
      <legend>{legend}</legend>
      <div class="row">
        <NumberField id={`${id}-value`} label={m.quantity} lang={lang} unit={draft.unit} rules={AMOUNT} required={required} value={draft.value} onInput={(value) => onChange({ ...draft, value })} />
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
          <NumberField id={`${id}-bag`} label={m.bagKg} lang={lang} unit="kg" rules={AMOUNT} required value={draft.bagKg} onInput={(bagKg) => onChange({ ...draft, bagKg })} />
        ) : null}
      </div>
      {children}
    </fieldset>
  );
}
