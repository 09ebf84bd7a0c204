/** What the SQLite repositories share to turn rows into records: JSON columns, nulls, pages and placeholders. */
import type { Page } from '../port.js';

export type Row = Record<string, unknown>;

export const json = (value: unknown): string => JSON.stringify(value);
export const parse = <T>(value: unknown): T => JSON.parse(value as string) as T;
export const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

export function pageOf<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

export function placeholders(values: unknown[]): string {
  return values.map(() => '?').join(',') || 'NULL';
}

export function mapOne<T>(row: unknown, map: (r: Row) => T): T | null {
  return row === undefined ? null : map(row as Row);
}
