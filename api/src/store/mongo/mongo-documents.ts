/** What the MongoDB repositories share to turn records into documents and back, and to page through them. */
import type { mongo } from 'mongoose';
import type { Page, PageRequest } from '../port.js';

/** A record stored with `_id` = its id. */
export type Doc<R extends { id: string }> = Omit<R, 'id'> & { _id: string };

/** JSON-shaped values are stored as they would come back from JSON (undefined members dropped). */
export const plain = <T>(value: T): T => (value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T));
export const orNull = <T>(value: T | null | undefined): T | null => (value === undefined ? null : value);
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const sortedUnique = (values: string[]): string[] => [...new Set(values)].sort(byString);

export function pageOf<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** Records whose fields are plain JSON values (products, listings): stored as written, `_id` = id. */
export function toDoc<R extends { id: string }>(record: R): Doc<R> {
  const { id, ...rest } = plain(record);
  return { _id: id, ...rest } as Doc<R>;
}

export function fromDoc<R extends { id: string }>(doc: Doc<R>): R {
  const { _id, ...rest } = doc as Doc<R> & { _id: string };
  return { id: _id, ...rest } as unknown as R;
}

export const mapOne = <D, R>(doc: D | null, map: (d: D) => R): R | null => (doc === null ? null : map(doc));

/** Newest first by id; `after` is the id of the previous page's last item. */
export function newestFirst<D extends { _id: string }>(
  collection: mongo.Collection<D>,
  filter: mongo.Filter<D>,
  page: PageRequest,
  session: mongo.ClientSession | undefined,
): Promise<D[]> {
  const query = page.after ? ({ $and: [filter, { _id: { $lt: page.after } }] } as mongo.Filter<D>) : filter;
  return collection
    .find(query, session ? { session } : {})
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .toArray() as Promise<D[]>;
}
