/** What every event the batch services record is made of, and how a lot's events read as its steps. */
import type { Actor } from '../../core/auth.js';
import type { EventEnvelope, LotRef } from '../../domain/event-model.js';
import type { BatchRecord, EventRecord, OrganizationRecord, Repositories } from '../../store/port.js';

export const lotRef = (b: Pick<BatchRecord, 'gtin' | 'lotNumber' | 'code'>): LotRef => ({ gtin: b.gtin, lotNumber: b.lotNumber, code: b.code });

export function envelope(actor: Actor, org: Pick<OrganizationRecord, 'slug' | 'gln'>, eventTime: string, prev: string[]): EventEnvelope {
  return {
    eventTime,
    recordedBy: { slug: org.slug, gln: org.gln },
    userId: actor.userId,
    prev,
  };
}

/** Hashes of the latest event of each target: what a new event follows (`prev`). */
export async function heads(tx: Repositories, targetIds: string[]): Promise<string[]> {
  const hashes: string[] = [];
  for (const id of targetIds) {
    const head = await tx.events.headOf(id);
    if (head) hashes.push(head.hash);
  }
  return [...new Set(hashes)];
}

export interface StepRecord {
  batchId: string;
  role: EventRecord['links'][number]['role'];
  event: EventRecord;
}

export function toStep(batchId: string, event: EventRecord): StepRecord {
  const role = event.links.find((l) => l.targetId === batchId)?.role ?? 'subject';
  return { batchId, role, event };
}
