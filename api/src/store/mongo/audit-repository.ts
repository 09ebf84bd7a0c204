/** The MongoDB audit_log collection. */
import type { mongo } from 'mongoose';
import type { AuditRecord, AuditRepository } from '../port.js';
import type { Collections } from './mongo-collections.js';
import { pageOf, toDoc, fromDoc, newestFirst } from './mongo-documents.js';
import { write } from './mongo-writes.js';

export function auditRepository(c: Collections, session?: mongo.ClientSession): AuditRepository {
  const opts = session ? { session } : {};

  return {
    insert: async (a) => {
      await write(() => c.audit.insertOne(toDoc(a), opts));
    },
    list: async (orgId, page) => pageOf((await newestFirst(c.audit, { orgId }, page, session)).map(fromDoc<AuditRecord>), page.limit),
  };
}
