/**
 * Numbers as people type and read them in the screens' languages. In Vietnamese `.` groups
 * thousands and `,` marks the decimals (`1.250,5`); in English it is the other way round
 * (`1,250.5`). The parser never guesses: an entry is read by the language's own rules or refused
 * with a reason code the screens translate. An entry that only makes sense in the other
 * language's convention (`1,250.5` or `1.25` in Vietnamese) is refused with a `suggestion`: the
 * value it would have in that convention, which the screen offers for the user to type, never
 * takes silently.
 */
export type NumberLang = 'vi' | 'en';

/** Why an entry is not a number in the language's convention. */
export type NumberProblem =
  /** Nothing typed where a number is required. */
  | 'empty'
  /** A letter, a space or a sign that has no place in a number. */
  | 'invalid_character'
  /** A minus sign where the quantity cannot be negative. */
  | 'negative'
  /** Zero where only a positive amount makes sense (a harvest's weight, a bag's size). */
  | 'not_positive'
  /** More than the field's `max`. */
  | 'too_large'
  /** Decimals where only whole numbers are taken (a count, a price in đồng). */
  | 'not_whole'
  /** Thousands not in groups of three, two decimal marks, a group mark after the decimals, or a mark with no digit after it. */
  | 'misplaced_mark'
  /** Written in the other language's convention; see `suggestion`. */
  | 'other_convention'
  /** More digits than a number can hold exactly (`MAX_DIGITS`), or more decimals than the field takes. */
  | 'too_many_digits';

export type NumberParse = { ok: true; value: number } | { ok: false; problem: NumberProblem; suggestion?: number };

export interface NumberRules {
  /** Whole numbers only (counts, đồng). Default false. */
  whole?: boolean;
  /** Accept a leading minus (coordinates). Default false. */
  negative?: boolean;
  /** Refuse zero (and anything below). Default false. */
  positive?: boolean;
  /** The largest value the field takes. Default none. */
  max?: number;
  /** The most decimals the field takes. Default `MAX_DIGITS`. */
  maxDecimals?: number;
}

/** A double holds 15 significant decimal digits exactly; longer entries would be silently rounded. */
export const MAX_DIGITS = 15;

interface Marks {
  group: string;
  decimal: string;
}

export const NUMBER_MARKS: Record<NumberLang, Marks> = {
  vi: { group: '.', decimal: ',' },
  en: { group: ',', decimal: '.' },
};

type Shape = { ok: true; negative: boolean; whole: string; fraction: string } | { ok: false; problem: 'invalid_character' | 'misplaced_mark' };

/** Splits an entry into sign, whole digits and decimal digits by one convention's marks. */
function shapeOf(text: string, { group, decimal }: Marks): Shape {
  if (!/^-?[\d.,]+$/.test(text)) return { ok: false, problem: 'invalid_character' };
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [whole = '', fraction, ...more] = body.split(decimal);
  if (more.length > 0 || fraction?.includes(group) || fraction === '') return { ok: false, problem: 'misplaced_mark' };
  if (whole === '' && fraction === undefined) return { ok: false, problem: 'misplaced_mark' };
  if (whole.includes(group)) {
    const groups = whole.split(group);
    const [first = '', ...rest] = groups;
    // "0.500" in Vietnamese is someone's 0,5: a leading zero never starts a grouped number.
    if (!/^[1-9]\d{0,2}$/.test(first) || rest.some((g) => !/^\d{3}$/.test(g))) return { ok: false, problem: 'misplaced_mark' };
    return { ok: true, negative, whole: groups.join(''), fraction: fraction ?? '' };
  }
  return { ok: true, negative, whole: whole === '' ? '0' : whole, fraction: fraction ?? '' };
}

function valueOf(shape: Extract<Shape, { ok: true }>, rules: NumberRules): NumberParse {
  const fraction = shape.fraction.replace(/0+$/, '');
  const significant = `${shape.whole}${fraction}`.replace(/^0+/, '');
  if (significant.length > MAX_DIGITS || fraction.length > (rules.maxDecimals ?? MAX_DIGITS)) return { ok: false, problem: 'too_many_digits' };
  const value = Number(`${shape.whole}.${fraction || '0'}`);
  if (shape.negative && value !== 0 && !rules.negative) return { ok: false, problem: 'negative' };
  if (rules.whole && fraction !== '') return { ok: false, problem: 'not_whole' };
  if (rules.positive && value === 0) return { ok: false, problem: 'not_positive' };
  if (rules.max !== undefined && value > rules.max) return { ok: false, problem: 'too_large' };
  // -0 is 0: nobody means a negative zero.
  return { ok: true, value: shape.negative && value !== 0 ? -value : 0 + value };
}

/** Reads `text` as a number in `lang`'s convention, or says why it cannot. Surrounding spaces are ignored. */
export function parseLocaleNumber(text: string, lang: NumberLang, rules: NumberRules = {}): NumberParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problem: 'empty' };
  const own = shapeOf(trimmed, NUMBER_MARKS[lang]);
  if (own.ok) return valueOf(own, rules);
  if (own.problem === 'misplaced_mark') {
    const other = shapeOf(trimmed, NUMBER_MARKS[lang === 'vi' ? 'en' : 'vi']);
    const read = other.ok ? valueOf(other, rules) : null;
    if (read?.ok) return { ok: false, problem: 'other_convention', suggestion: read.value };
  }
  return { ok: false, problem: own.problem };
}

/** The plain decimal digits of a finite number (no exponent), with at most MAX_DIGITS significant digits. */
function plainDigits(value: number): { whole: string; fraction: string } {
  const [mantissa = '0', exponentText = '0'] = Math.abs(value).toPrecision(MAX_DIGITS).split('e');
  const [head = '0', tail = ''] = mantissa.split('.');
  const exponent = Number(exponentText);
  let digits = head + tail;
  let point = head.length + exponent;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  } else if (point > digits.length) digits = digits.padEnd(point, '0');
  return { whole: digits.slice(0, point).replace(/^0+(?=\d)/, ''), fraction: digits.slice(point).replace(/0+$/, '') };
}

/**
 * `value` written in `lang`'s convention, grouped by thousands (`1.250,5` in Vietnamese), with
 * at most `maxDecimals` decimals (rounded) and no trailing zeros. What it writes, the parser
 * reads back as the same number.
 */
export function formatLocaleNumber(value: number, lang: NumberLang, maxDecimals = MAX_DIGITS): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const rounded = maxDecimals < MAX_DIGITS ? Number(value.toFixed(maxDecimals)) : value;
  const { whole, fraction } = plainDigits(rounded);
  const { group, decimal } = NUMBER_MARKS[lang];
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, group);
  const sign = rounded < 0 && (whole !== '0' || fraction !== '') ? '-' : '';
  return `${sign}${grouped}${fraction ? decimal + fraction : ''}`;
}
