/** The MongoDB idempotencyKeys collection. */
import type { mongo } from 'mongoose';
import type { IdempotencyRecord, IdempotencyRepository } from '../port.js';
import type { Collections, IdempotencyDoc } from './mongo-collections.js';
import { plain, orNull, mapOne } from './mongo-documents.js';
import { write } from './mongo-writes.js';

const toIdempotency = (d: IdempotencyDoc): IdempotencyRecord => ({
  scope: d.scope,
  key: d.key,
  requestHash: d.requestHash,
  state: d.state,
  status: orNull(d.status),
  body: d.body ?? null,
  location: orNull(d.location),
  createdAt: d.createdAt,
});

export function idempotencyRepository(c: Collections, session?: mongo.ClientSession): IdempotencyRepository {
  const opts = session ? { session } : {};

  return {
    // An upsert rather than insert-and-catch: a duplicate-key error would abort an enclosing
    // transaction, and the server retries upserts that race on the unique (scope, key) index.
    claim: async (r) => {
      const existing = await write(() =>
        c.idempotencyKeys.findOneAndUpdate(
          { scope: r.scope, key: r.key },
          {
            $setOnInsert: {
              requestHash: r.requestHash,
              state: r.state,
              status: orNull(r.status),
              body: plain(r.body),
              location: orNull(r.location),
              createdAt: r.createdAt,
            },
          },
          { ...opts, upsert: true, returnDocument: 'before' },
        ),
      );
      return mapOne(existing, toIdempotency);
    },
    complete: async (scope, key, status, body, location) => {
      await c.idempotencyKeys.updateOne(
        { scope, key },
        { $set: { state: 'done', status, body: plain(body), location: orNull(location) } },
        opts,
      );
    },
    release: async (scope, key) => {
      await c.idempotencyKeys.deleteOne({ scope, key, state: 'pending' }, opts);
    },
  };
}
