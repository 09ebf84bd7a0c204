/** Idempotency keys of POST requests: record and repository. */

export interface IdempotencyRecord {
  scope: string;
  key: string;
  requestHash: string;
  state: 'pending' | 'done';
  status: number | null;
  body: unknown;
  location: string | null;
  createdAt: string;
}

export interface IdempotencyRepository {
  /** Inserts a pending claim; returns the existing record instead when the key is taken. */
  claim(record: IdempotencyRecord): Promise<IdempotencyRecord | null>;
  complete(scope: string, key: string, status: number, body: unknown, location: string | null): Promise<void>;
  release(scope: string, key: string): Promise<void>;
}
