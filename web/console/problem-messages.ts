import type { ErrorParams } from '../../api/src/domain/problem-codes.js';
import type { ConsoleLang } from './messages.js';
import { en } from './problem-messages/en.js';
import type { Params, ProblemMessageTable, Words } from './problem-messages/table.js';
import { vi } from './problem-messages/vi.js';

/**
 * What the console, the office and the origin page say for each of the API's machine codes
 * (docs/errors.md), in Vietnamese and English, written with the code's params. The tables are
 * typed by the API's closed code unions, so a code without a sentence does not compile; a code
 * this build does not know (a newer server) gets the generic sentence, never the English detail.
 */

export const PROBLEM_MESSAGES: Record<ConsoleLang, ProblemMessageTable> = { vi, en };

const LOCALES: Record<ConsoleLang, string> = { vi: 'vi-VN', en: 'en-GB' };

function params(values: ErrorParams | undefined, lang: ConsoleLang): Params {
  return {
    text: (name) => String(values?.[name] ?? ''),
    num: (name) => {
      const value = values?.[name];
      return typeof value === 'number' ? value.toLocaleString(LOCALES[lang], { maximumFractionDigits: 3 }) : String(value ?? '');
    },
  };
}

function say<C extends string>(table: Record<C, Words>, code: unknown, values: ErrorParams | undefined, lang: ConsoleLang, fallback: string): string {
  const words = typeof code === 'string' && Object.hasOwn(table, code) ? table[code as C] : undefined;
  if (words === undefined) return fallback;
  return typeof words === 'function' ? words(params(values, lang)) : words;
}

/** What a problem body needs to be said: its status, code and params (any shape a server sends). */
export interface CodedProblem {
  status: number;
  code?: string;
  params?: ErrorParams;
}

export interface CodedFieldError {
  path: string;
  code?: string;
  params?: ErrorParams;
}

/** The problem in `lang`; the generic sentence for a code this build does not know. */
export function problemText(problem: CodedProblem, lang: ConsoleLang): string {
  const table = PROBLEM_MESSAGES[lang];
  return say(table.problems, problem.code, problem.params, lang, table.unknownProblem(problem.status));
}

/** One field error in `lang`, without the field's name. */
export function fieldErrorText(error: CodedFieldError, lang: ConsoleLang): string {
  const table = PROBLEM_MESSAGES[lang];
  return say(table.fields, error.code, error.params, lang, table.unknownField);
}

/** The field a path starts with, named in `lang` (`inputs[0].quantity` → the input lots), or null. */
export function fieldName(path: string, lang: ConsoleLang): string | null {
  const first = /^[A-Za-z]+/.exec(path)?.[0];
  return first && Object.hasOwn(PROBLEM_MESSAGES[lang].fieldNames, first) ? PROBLEM_MESSAGES[lang].fieldNames[first]! : null;
}

/** One field error in `lang`, preceded by the field's name when it has one. */
export function fieldErrorLine(error: CodedFieldError, lang: ConsoleLang): string {
  const name = fieldName(error.path, lang);
  const text = fieldErrorText(error, lang);
  return name ? PROBLEM_MESSAGES[lang].withField(name, text) : text;
}

/** The problem and each wrong field, in one paragraph (where there is no room for a list). */
export function problemSummary(problem: CodedProblem & { errors?: CodedFieldError[] }, lang: ConsoleLang): string {
  return [problemText(problem, lang), ...(problem.errors ?? []).map((e) => fieldErrorLine(e, lang))].join(' ');
}

/** Why an export skipped an item, in `lang` (a plot's geometry with the EUDR rule it breaks). */
export function exportProblemText(problem: { code?: string; params?: ErrorParams }, lang: ConsoleLang): string {
  const table = PROBLEM_MESSAGES[lang];
  const text = say(table.exportProblems, problem.code, problem.params, lang, table.unknownExportProblem);
  const rule = problem.code === 'plot-geometry-invalid' ? problem.params?.rule : undefined;
  return typeof rule === 'string' && Object.hasOwn(table.fields, rule) ? `${text} ${fieldErrorText({ path: '', code: rule }, lang)}` : text;
}
