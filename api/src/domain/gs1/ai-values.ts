/**
 * Checks of one AI value against its format in the AI table: components, character sets, lengths
 * and the linters of the GS1 Barcode Syntax Dictionary (check digits, dates, …). Each failure names
 * the Digital Link rule it breaks.
 */
import { type AiSpec, type CharSet } from './ai-table.js';
import { BASE64URL, CSET32, CSET39, CSET82, CSET82_DESCRIPTION, CSET82_ORDER } from './character-sets.js';
import { gs1CheckDigit, normalizeGtin } from './keys.js';

/** The rules of digital-link.ts's DIGITAL_LINK_RULES that a value (rather than the URI's shape) can break. */
export type AiValueRule = 'gtin-length' | 'key-format' | 'check-digit' | 'ai-charset' | 'ai-length' | 'ai-format' | 'invalid-date';

export type AiValueProblem = { rule: AiValueRule; message: string };

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97];

const CSET_NAMES: Record<CharSet, string> = {
  N: 'digits only',
  X: CSET82_DESCRIPTION,
  Y: 'the GS1 character set 39 (digits, capital letters and #-/)',
  Z: 'base64url characters',
};

function inCharSet(cset: CharSet, part: string): boolean {
  switch (cset) {
    case 'N':
      return /^\d*$/.test(part);
    case 'X':
      return CSET82.test(part);
    case 'Y':
      return CSET39.test(part);
    case 'Z':
      return BASE64URL.test(part);
  }
}

/** GS1 check character pair for alphanumeric keys (GMN), General Specifications §7.9.5. */
function checkCharacterPair(data: string): string | null {
  if (data.length > PRIMES.length) return null;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const weight = PRIMES[data.length - 1 - i] ?? 0;
    sum += CSET82_ORDER.indexOf(data.charAt(i)) * weight;
  }
  sum %= 1021;
  return CSET32.charAt(sum >> 5) + CSET32.charAt(sum & 31);
}

function isLeapYy(yy: number): boolean {
  // Two-digit years resolve to 1951–2050 (General Specifications §7.12); 2000 is a leap year.
  return yy % 4 === 0;
}

/** YYMMDD; `allowDayZero` for the AIs whose day 00 means "end of the month" (yymmd0). */
function isRealDate(yymmdd: string, allowDayZero: boolean): boolean {
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  if (mm < 1 || mm > 12) return false;
  if (dd === 0) return allowDayZero;
  const days = [31, isLeapYy(yy) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1] ?? 0;
  return dd <= days;
}

function label(spec: AiSpec): string {
  return `(${spec.ai}) ${spec.title}`;
}

function lengthText(spec: AiSpec): string {
  const unit = spec.components.every((c) => c.cset === 'N') ? 'digits' : 'characters';
  return spec.min === spec.max ? `exactly ${spec.max} ${unit}` : `${spec.min} to ${spec.max} ${unit}`;
}

function lint(linter: string, part: string, spec: AiSpec): AiValueProblem | null {
  switch (linter) {
    case 'csum': {
      const expected = gs1CheckDigit(part.slice(0, -1));
      if (String(expected) !== part.slice(-1)) {
        return {
          rule: 'check-digit',
          message: `${label(spec)}: check digit of ${part} is wrong (expected ${expected}, got ${part.slice(-1)})`,
        };
      }
      return null;
    }
    case 'csumalpha': {
      const expected = part.length >= 2 ? checkCharacterPair(part.slice(0, -2)) : null;
      if (expected === null || expected !== part.slice(-2)) {
        return {
          rule: 'check-digit',
          message: `${label(spec)}: check character pair of ${part} is wrong${expected ? ` (expected ${expected})` : ''}`,
        };
      }
      return null;
    }
    case 'yymmdd':
    case 'yymmd0':
      return isRealDate(part, linter === 'yymmd0')
        ? null
        : {
            rule: 'invalid-date',
            message: `${label(spec)}: ${part} is not a real date (YYMMDD${linter === 'yymmd0' ? ', day 00 for the end of the month' : ''})`,
          };
    case 'hhmi':
      return Number(part.slice(0, 2)) <= 23 && Number(part.slice(2, 4)) <= 59
        ? null
        : { rule: 'invalid-date', message: `${label(spec)}: ${part} is not a real time (HHMM)` };
    case 'hh':
      return Number(part) <= 23 ? null : { rule: 'invalid-date', message: `${label(spec)}: ${part} is not a real hour` };
    case 'mi':
    case 'ss':
      return Number(part) <= 59 ? null : { rule: 'invalid-date', message: `${label(spec)}: ${part} is not a real minute or second` };
    case 'zero':
      return part === '0' ? null : { rule: 'ai-format', message: `${label(spec)}: the first digit must be 0` };
    case 'nozeroprefix':
      return part.length > 1 && part.startsWith('0')
        ? { rule: 'ai-format', message: `${label(spec)}: ${part} must not start with 0` }
        : null;
    case 'yesno':
      return part === '0' || part === '1' ? null : { rule: 'ai-format', message: `${label(spec)}: must be 0 or 1` };
    case 'pieceoftotal': {
      const piece = Number(part.slice(0, 2));
      const total = Number(part.slice(2, 4));
      return piece >= 1 && total >= 1 && piece <= total
        ? null
        : { rule: 'ai-format', message: `${label(spec)}: piece ${piece} of ${total} is not a piece of the total` };
    }
    default:
      return null;
  }
}

/** Checks a decoded value against the AI's format: components, character sets, lengths, linters. */
export function checkAiValue(spec: AiSpec, value: string): AiValueProblem | null {
  if (value.length === 0) return { rule: 'ai-length', message: `${label(spec)} has no value (${lengthText(spec)})` };
  let pos = 0;
  for (const component of spec.components) {
    const remaining = value.length - pos;
    if (remaining === 0) {
      if (component.optional) break;
      return { rule: 'ai-length', message: `${label(spec)}: ${value} is too short (${lengthText(spec)})` };
    }
    if (component.min === component.max && remaining < component.max) {
      return { rule: 'ai-length', message: `${label(spec)}: ${value} is too short (${lengthText(spec)})` };
    }
    const part = value.slice(pos, pos + component.max);
    if (!inCharSet(component.cset, part)) {
      return { rule: 'ai-charset', message: `${label(spec)}: ${value} may use ${CSET_NAMES[component.cset]}` };
    }
    for (const linter of component.linters) {
      const problem = lint(linter, part, spec);
      if (problem) return problem;
    }
    pos += part.length;
  }
  if (pos < value.length) {
    return {
      rule: 'ai-length',
      message: `${label(spec)}: ${value.length > 40 ? `${value.slice(0, 40)}…` : value} is too long (${lengthText(spec)})`,
    };
  }
  return null;
}

export function checkPrimaryKeyValue(spec: AiSpec, value: string): AiValueProblem | null {
  if (spec.ai === '01') {
    if (/^\d+$/.test(value) && [8, 12, 13].includes(value.length)) {
      const normalized = normalizeGtin(value);
      return {
        rule: 'gtin-length',
        message:
          `a GTIN in a Digital Link path has 14 digits: ${value} has ${value.length}` +
          (normalized.ok ? ` (write it as ${normalized.value})` : ''),
      };
    }
  }
  const problem = checkAiValue(spec, value);
  if (problem && (problem.rule === 'ai-length' || problem.rule === 'ai-charset')) {
    return { rule: 'key-format', message: `${label(spec)}: ${value} is not a valid key (${lengthText(spec)}, ${describeSets(spec)})` };
  }
  return problem;
}

function describeSets(spec: AiSpec): string {
  const sets = [...new Set(spec.components.map((c) => c.cset))];
  return sets.map((s) => CSET_NAMES[s]).join(', then ');
}
