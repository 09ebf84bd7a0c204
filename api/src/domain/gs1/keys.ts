/**
 * GS1 identification keys: mod-10 check digits (GS1 General Specifications §7.9), GTIN and GLN
 * normalisation, and the AI 10 (batch/lot) value rules.
 */
import type { ErrorParams, FieldErrorCode } from '../problem-codes.js';
import { CSET82, CSET82_DESCRIPTION } from './character-sets.js';

/** Mod-10 check digit over the digits that precede it (weights 3,1,3,… from the right). */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  let sum = 0;
  for (let i = 0; i < digitsWithoutCheck.length; i++) {
    const digit = digitsWithoutCheck.charCodeAt(digitsWithoutCheck.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function hasValidCheckDigit(key: string): boolean {
  if (!/^\d{2,}$/.test(key)) return false;
  return gs1CheckDigit(key.slice(0, -1)) === Number(key.at(-1));
}

/** Completes a key body with its check digit, e.g. for building demo GTINs. */
export function withCheckDigit(body: string): string {
  return body + String(gs1CheckDigit(body));
}

/** A key's value, or why it is not one: the field-error code, its params and the English message. */
export type KeyCheck = { ok: true; value: string } | { ok: false; code: FieldErrorCode; message: string; params?: ErrorParams };

/** Accepts GTIN-8, -12, -13 or -14 and returns the GTIN-14 form (left-padded with zeros). */
export function normalizeGtin(input: string): KeyCheck {
  if (!/^\d+$/.test(input)) return { ok: false, code: 'gtin-format', message: 'a GTIN has digits only' };
  if (![8, 12, 13, 14].includes(input.length)) {
    return { ok: false, code: 'gtin-format', message: 'a GTIN has 8, 12, 13 or 14 digits' };
  }
  if (!hasValidCheckDigit(input)) {
    const expected = gs1CheckDigit(input.slice(0, -1));
    return { ok: false, code: 'gtin-check-digit', message: `check digit is wrong (expected ${expected})`, params: { expected } };
  }
  return { ok: true, value: input.padStart(14, '0') };
}

export function validateGln(input: string): KeyCheck {
  if (!/^\d{13}$/.test(input)) return { ok: false, code: 'gln-format', message: 'a GLN has exactly 13 digits' };
  if (!hasValidCheckDigit(input)) {
    const expected = gs1CheckDigit(input.slice(0, -1));
    return { ok: false, code: 'gln-check-digit', message: `check digit is wrong (expected ${expected})`, params: { expected } };
  }
  return { ok: true, value: input };
}

/** Batch/lot number rules of AI (10): 1–20 characters of character set 82. */
export function validateLotNumber(input: string): KeyCheck {
  if (input.length < 1 || input.length > 20) return { ok: false, code: 'lot-number-length', message: 'a lot number has 1 to 20 characters', params: { minimum: 1, maximum: 20 } };
  if (!CSET82.test(input)) {
    return { ok: false, code: 'gs1-charset-82', message: `a lot number may use only ${CSET82_DESCRIPTION}` };
  }
  return { ok: true, value: input };
}
