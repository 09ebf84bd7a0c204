import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { formatLocaleNumber, MAX_DIGITS, parseLocaleNumber, type NumberParse, type NumberRules } from '../../api/src/domain/locale-number.js';
import { quantityInWords, type WordUnit } from '../../api/src/domain/number-words.js';
import type { ConsoleLang } from './messages.js';
import { NUMBER_MESSAGES } from './number-messages.js';

/**
 * Every number typed in the console and the office goes through this field: a text input read
 * in the UI language's convention (`1.250,5` in Vietnamese, `1,250.5` in English), with what was
 * read shown under it, in digits and in words with its unit, or why it cannot be read. While the
 * entry cannot be read the input is invalid (a custom validity), so its form does not submit.
 */

/** The number `text` says in `lang`, or null when it is empty or unreadable (the field says why). */
export function numberOf(text: string, lang: ConsoleLang, rules: NumberRules = {}): number | null {
  const read = parseLocaleNumber(text, lang, rules);
  return read.ok ? read.value : null;
}

/** Whether a field may be submitted: empty (the `required` attribute judges that) or readable. */
export const isReadable = (text: string, lang: ConsoleLang, rules: NumberRules = {}) => text.trim() === '' || parseLocaleNumber(text, lang, rules).ok;

/** A value in digits and in words with its unit: "1.250 kg = một nghìn hai trăm năm mươi ki-lô-gam". */
export function numberReading(value: number, unit: WordUnit | null, lang: ConsoleLang, maxDecimals?: number): string {
  const m = NUMBER_MESSAGES[lang];
  const digits = formatLocaleNumber(value, lang, maxDecimals);
  const symbol = unit ? m.unitSymbols[unit] : '';
  return m.readBack(unit === 'degree' ? `${digits}${symbol}` : symbol ? `${digits} ${symbol}` : digits, quantityInWords(value, unit, lang, maxDecimals));
}

/** Why `read` failed, in the UI's language. */
export function problemText(read: Extract<NumberParse, { ok: false }>, lang: ConsoleLang, rules: NumberRules = {}): string {
  const m = NUMBER_MESSAGES[lang];
  if (read.problem === 'other_convention') return m.otherConvention(formatLocaleNumber(read.suggestion ?? 0, lang));
  if (read.problem === 'too_many_digits') return m.tooManyDigits(MAX_DIGITS, rules.maxDecimals ?? MAX_DIGITS);
  if (read.problem === 'too_large') return m.tooLarge(formatLocaleNumber(rules.max ?? 0, lang));
  return m.problems[read.problem];
}

interface Props {
  id: string;
  label: string;
  lang: ConsoleLang;
  value: string;
  onInput: (text: string) => void;
  /** The unit the value is read with ("ki-lô-gam", "đồng"); null for a bare number. */
  unit: WordUnit | null;
  rules?: NumberRules;
  required?: boolean;
  name?: string;
  /** Ids of more elements that describe the input (a hint). */
  describedBy?: string;
  /** Shown beside the input, above the reading (the unit's select on a phone), so the reading spans both. */
  children?: ComponentChildren;
}

export function NumberField({ id, label, lang, value, onInput, unit, rules = {}, required = false, name, describedBy, children }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const read = value.trim() === '' ? null : parseLocaleNumber(value, lang, rules);
  const problem = read && !read.ok ? problemText(read, lang, rules) : null;
  useLayoutEffect(() => input.current?.setCustomValidity(problem ?? ''), [problem]);
  const readingId = `${id}-reading`;
  return (
    <div class="number-field">
      <label for={id}>{label}</label>
      <div class="number-input">
        <input
          ref={input}
          id={id}
          name={name}
          type="text"
          inputMode={rules.whole ? 'numeric' : 'decimal'}
          autoComplete="off"
          spellcheck={false}
          required={required}
          value={value}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={[readingId, describedBy].filter(Boolean).join(' ')}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
        {children}
      </div>
      <p id={readingId} class={problem ? 'reading error' : 'reading'} aria-live="polite">
        {problem ?? (read?.ok ? numberReading(read.value, unit, lang, rules.maxDecimals) : '')}
      </p>
    </div>
  );
}
