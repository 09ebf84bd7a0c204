import type { ExportProblemCode, FieldErrorCode, ProblemCode } from '../../../api/src/domain/problem-codes.js';

/** The shape of each language's sentences for the API's codes (see ../problem-messages.ts). */
export type Words = string | ((p: Params) => string);

/** A code's params as the sentences read them: numbers already in the language's format. */
export interface Params {
  text(name: string): string;
  num(name: string): string;
}

export interface ProblemMessageTable {
  problems: Record<ProblemCode, Words>;
  fields: Record<FieldErrorCode, Words>;
  exportProblems: Record<ExportProblemCode, Words>;
  /** A problem whose code this build does not know, by its HTTP status. */
  unknownProblem: (status: number) => string;
  unknownField: string;
  unknownExportProblem: string;
  /** Names of the fields a path can start with; a path without one is shown without a name. */
  fieldNames: Record<string, string>;
  withField: (field: string, message: string) => string;
}
