import { formatLocaleNumber, type NumberLang } from './locale-number.js';

/**
 * Numbers read aloud, so a typed quantity or price can be shown back in words before it is saved
 * ("1.250 kg = một nghìn hai trăm năm mươi ki-lô-gam"). Vietnamese follows the usual reading:
 * "mười" and "mươi", "mốt" for a 1 after "mươi", "lăm" for a 5 after "mười"/"mươi", "linh" for a
 * zero tens digit, "không trăm" for an inner group under a hundred, scales "nghìn", "triệu", "tỷ"
 * (then "nghìn tỷ", "triệu tỷ"), decimals after "phẩy" digit by digit. English is British:
 * "and" after a hundred and before a last group under a hundred, short scale, decimals after "point".
 */

/** The units a reading can end with: a quantity's, a price's, an area's, a coordinate's and a product's sizes. */
export type WordUnit = 'kg' | 't' | 'bag' | 'vnd' | 'ha' | 'g' | 'ml' | 'l' | 'cm' | 'degree' | 'label';

const VI_DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;
const EN_ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'] as const;
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'] as const;
const EN_SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'] as const;

const UNIT_WORDS: Record<NumberLang, Record<WordUnit, { one: string; many: string }>> = {
  vi: {
    kg: { one: 'ki-lô-gam', many: 'ki-lô-gam' },
    t: { one: 'tấn', many: 'tấn' },
    bag: { one: 'bao', many: 'bao' },
    vnd: { one: 'đồng', many: 'đồng' },
    ha: { one: 'héc-ta', many: 'héc-ta' },
    g: { one: 'gam', many: 'gam' },
    ml: { one: 'mi-li-lít', many: 'mi-li-lít' },
    l: { one: 'lít', many: 'lít' },
    cm: { one: 'xăng-ti-mét', many: 'xăng-ti-mét' },
    degree: { one: 'độ', many: 'độ' },
    label: { one: 'nhãn', many: 'nhãn' },
  },
  en: {
    kg: { one: 'kilogram', many: 'kilograms' },
    t: { one: 'tonne', many: 'tonnes' },
    bag: { one: 'bag', many: 'bags' },
    vnd: { one: 'dong', many: 'dong' },
    ha: { one: 'hectare', many: 'hectares' },
    g: { one: 'gram', many: 'grams' },
    ml: { one: 'millilitre', many: 'millilitres' },
    l: { one: 'litre', many: 'litres' },
    cm: { one: 'centimetre', many: 'centimetres' },
    degree: { one: 'degree', many: 'degrees' },
    label: { one: 'label', many: 'labels' },
  },
};

/** 0–999 in Vietnamese; `inner` when a higher group precedes it, so "không trăm" and "linh" are read. */
function viHundreds(n: number, inner: boolean): string[] {
  const [h, t, u] = [Math.floor(n / 100), Math.floor(n / 10) % 10, n % 10];
  const words: string[] = [];
  if (h > 0 || inner) words.push(VI_DIGITS[h]!, 'trăm');
  if (t === 0) {
    if (u > 0 && words.length > 0) words.push('linh', VI_DIGITS[u]!);
    else if (u > 0 || words.length === 0) words.push(VI_DIGITS[u]!);
    return words;
  }
  words.push(...(t === 1 ? ['mười'] : [VI_DIGITS[t]!, 'mươi']));
  if (u === 1) words.push(t === 1 ? 'một' : 'mốt');
  else if (u === 5) words.push('lăm');
  else if (u > 0) words.push(VI_DIGITS[u]!);
  return words;
}

/** A whole number under 10^18 in Vietnamese: groups of three under "nghìn", "triệu"; "tỷ" repeats above. */
function viWhole(n: bigint, inner = false): string[] {
  const billion = 1_000_000_000n;
  if (n >= billion) {
    const rest = n % billion;
    return [...viWhole(n / billion, inner), 'tỷ', ...(rest > 0n ? viWhole(rest, true) : [])];
  }
  const groups = [Number(n / 1_000_000n), Number((n / 1000n) % 1000n), Number(n % 1000n)];
  const scales = ['triệu', 'nghìn', ''];
  const words: string[] = [];
  groups.forEach((g, i) => {
    if (g === 0) return;
    words.push(...viHundreds(g, inner || words.length > 0), ...(scales[i] ? [scales[i]!] : []));
  });
  return words.length ? words : inner ? [] : ['không'];
}

function enHundreds(n: number): string[] {
  const [h, rest] = [Math.floor(n / 100), n % 100];
  const words: string[] = h > 0 ? [EN_ONES[h]!, 'hundred'] : [];
  if (rest === 0) return words;
  if (h > 0) words.push('and');
  if (rest < 20) words.push(EN_ONES[rest]!);
  else words.push(rest % 10 ? `${EN_TENS[Math.floor(rest / 10)]}-${EN_ONES[rest % 10]}` : EN_TENS[Math.floor(rest / 10)]!);
  return words;
}

function enWhole(n: bigint): string[] {
  if (n === 0n) return ['zero'];
  const groups: number[] = [];
  for (let rest = n; rest > 0n; rest /= 1000n) groups.push(Number(rest % 1000n));
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) continue;
    // "one thousand and five": a last group under a hundred after a higher one takes "and".
    if (i === 0 && g < 100 && words.length > 0) words.push('and');
    words.push(...enHundreds(g), ...(EN_SCALES[i] ? [EN_SCALES[i]!] : []));
  }
  return words;
}

/**
 * `value` in words in `lang`, with up to `maxDecimals` decimals read digit by digit
 * ("một nghìn hai trăm năm mươi phẩy năm"; "one thousand two hundred and fifty point five").
 */
export function numberInWords(value: number, lang: NumberLang, maxDecimals?: number): string {
  // The formatter gives the exact digits the screen shows; reading them keeps words and digits in step.
  const written = formatLocaleNumber(value, 'en', maxDecimals);
  const negative = written.startsWith('-');
  const [whole = '0', fraction = ''] = written.replace(/^-|,/g, '').split('.');
  const vi = lang === 'vi';
  const words = vi ? viWhole(BigInt(whole)) : enWhole(BigInt(whole));
  if (fraction) words.push(vi ? 'phẩy' : 'point', ...[...fraction].map((d) => (vi ? VI_DIGITS[Number(d)]! : EN_ONES[Number(d)]!)));
  if (negative) words.unshift(vi ? 'âm' : 'minus');
  return words.join(' ');
}

/** `value` and its unit in words: "một nghìn hai trăm năm mươi ki-lô-gam", "one thousand two hundred and fifty kilograms". */
export function quantityInWords(value: number, unit: WordUnit | null, lang: NumberLang, maxDecimals?: number): string {
  const number = numberInWords(value, lang, maxDecimals);
  if (!unit) return number;
  const names = UNIT_WORDS[lang][unit];
  return `${number} ${Math.abs(value) === 1 ? names.one : names.many}`;
}
