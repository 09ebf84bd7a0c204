/**
 * Phone logins for farmers: Vietnamese mobile numbers as people type them, one stored form
 * (E.164, `+84…`), the grouping people read (`0912 345 678`), and the rule for a PIN. Pure, so
 * the console checks a PIN and shows a number with the server's own rules.
 *
 * Hand-written rather than libphonenumber: the service takes Vietnamese mobile numbers only, and
 * the rule is one pattern, the mobile pattern of libphonenumber's metadata for VN (kept identical,
 * so swapping the library in later changes no answer). The library's smallest build would add
 * tens of kilobytes to a farmer's console for this one pattern.
 */

/** Vietnamese mobile numbers without the trunk 0 (9 digits): libphonenumber's VN `mobile` nationalNumberPattern. */
const VN_MOBILE = /^(?:(?:5(?:2[238]|59)|89[6-9]|99[013-9])\d{6}|(?:3\d|5[1689]|7[06-9]|8[1-8]|9[0-8])\d{7})$/;

/** What people put between digit groups: spaces (any), dots, hyphens, brackets. */
const SEPARATORS = /[\s.\-()]/g;

/**
 * The E.164 form (`+84912345678`) of a Vietnamese mobile number written as people write it:
 * `0912 345 678`, `0912.345.678`, `+84 912 345 678`, `+84 (0) 912…`, `84912345678`, `0084 912…`, `912345678`;
 * null when it is not one.
 */
export function normalizeVietnameseMobile(input: string): string | null {
  const compact = input.replace(SEPARATORS, '');
  // The country code (+84, 0084 or 84, then perhaps the trunk 0 people keep: `+84 (0) 912…`), or the trunk 0, or neither.
  const match = /^(?:(?:\+|00)?84(?=0?\d{9}$)0?|0)?(\d{9})$/.exec(compact);
  const national = match?.[1];
  return national && VN_MOBILE.test(national) ? `+84${national}` : null;
}

/** `+84912345678` as Vietnamese people read it: `0912 345 678`. Anything else is returned as it is. */
export function formatVietnameseMobile(e164: string): string {
  const match = /^\+84(\d{3})(\d{3})(\d{3})$/.exec(e164);
  return match ? `0${match[1]} ${match[2]} ${match[3]}` : e164;
}

/** A PIN is exactly this many digits. */
export const PIN_LENGTH = 6;

/** Why a PIN is refused: not six digits, one short block repeated (`111111`, `121212`, `123123`), a straight run (`123456`, `987654`, `890123`), or the phone's own last digits. */
export type PinProblem = 'not-six-digits' | 'repeated' | 'sequence' | 'phone-digits';

/** Why `pin` may not be the PIN of a login with the phone `phone` (E.164), or null when it may. */
export function pinProblem(pin: string, phone: string | null): PinProblem | null {
  if (!new RegExp(`^\\d{${PIN_LENGTH}}$`).test(pin)) return 'not-six-digits';
  const digits = [...pin].map(Number);
  for (const period of [1, 2, 3]) {
    if (digits.every((d, i) => d === digits[i % period])) return 'repeated';
  }
  const steps = digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) return 'sequence';
  if (phone && phone.endsWith(pin)) return 'phone-digits';
  return null;
}

/** The English words for a PinProblem (the API's field error; the console has its own, in vi and en). */
export const PIN_PROBLEM_TEXT: Record<PinProblem, string> = {
  'not-six-digits': `exactly ${PIN_LENGTH} digits`,
  repeated: 'too easy to guess: a digit or a short group repeated',
  sequence: 'too easy to guess: digits in a straight run',
  'phone-digits': 'too easy to guess: the last digits of the phone number',
};
