/** Writes as the MongoDB repositories make them: a duplicate key is a UniquenessViolation, or just "taken". */
import mongoose from 'mongoose';
import type { mongo } from 'mongoose';
import { UNIQUE_RULES, UniquenessViolation, type UniqueRule } from '../store-errors.js';

const DUPLICATE_KEY = 11000;

const isDuplicateKey = (error: unknown): error is mongoose.mongo.MongoServerError =>
  error instanceof mongoose.mongo.MongoServerError && error.code === DUPLICATE_KEY;

function translateDuplicate(error: unknown): never {
  if (isDuplicateKey(error)) {
    const index = /index: (\S+) dup key/.exec(error.message)?.[1];
    throw new UniquenessViolation(index && index in UNIQUE_RULES ? (index as UniqueRule) : null);
  }
  throw error;
}

export async function write<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (error) {
    return translateDuplicate(error);
  }
}

/**
 * Inserts `doc` unless its `_id` is taken; true when it was inserted. An upsert of $setOnInsert
 * rather than insert-and-catch, so a taken `_id` does not abort an enclosing transaction (like
 * SQLite's INSERT OR IGNORE); a duplicate key that still surfaces (an upsert race the server did
 * not retry) also means taken.
 */
export async function insertIfAbsent<D extends { _id: string | number }>(
  collection: mongo.Collection<D>,
  doc: D,
  opts: { session?: mongo.ClientSession },
): Promise<boolean> {
  const { _id, ...rest } = doc;
  try {
    const before = await collection.findOneAndUpdate({ _id } as mongo.Filter<D>, { $setOnInsert: rest } as unknown as mongo.UpdateFilter<D>, {
      ...opts,
      upsert: true,
      returnDocument: 'before',
      projection: { _id: 1 },
    });
    return before === null;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}
