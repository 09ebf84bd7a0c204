import { z } from 'zod';
import type { Page, PageRequest } from '../store/port.js';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

/** `?limit=&cursor=` as every list takes them; the cursor is opaque to clients. */
export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor returned by this API')
    .optional(),
});
export type ListQuery = z.output<typeof ListQuery>;

export function toPageRequest(query: ListQuery): PageRequest {
  return { limit: query.limit, after: query.cursor ? Buffer.from(query.cursor, 'base64url').toString('utf8') : undefined };
}

export function toListResponse<T, U>(page: Page<T>, map: (item: T) => U): { items: U[]; nextCursor: string | null } {
  return { items: page.items.map(map), nextCursor: page.next ? Buffer.from(page.next, 'utf8').toString('base64url') : null };
}

export function listResponseSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Every item of a paged store list, one page of `pageSize` at a time (for walks that must not load everything at once). */
export async function* allPages<T>(list: (page: PageRequest) => Promise<Page<T>>, pageSize = 500): AsyncGenerator<T> {
  let after: string | undefined;
  do {
    const page = await list({ limit: pageSize, after });
    yield* page.items;
    after = page.next ?? undefined;
  } while (after);
}
