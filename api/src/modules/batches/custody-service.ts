import { requireRole, type Actor } from '../../core/auth.js';
import { AppError, NotFoundError, ValidationError, problemType } from '../../core/errors.js';
import { stepEvent } from '../../domain/event-model.js';
import type { EventRecorder } from '../../provenance/event-recorder.js';
import type { BatchRecord, OrganizationRecord, Repositories, Store } from '../../store/port.js';
import type { BatchService } from './lifecycle-service.js';
import { envelope, lotRef, toStep, type StepRecord } from './lot-events.js';
import { assertInCustody, requireOrg } from './lot-rules.js';
import type { StepCreate } from './schema.js';

/**
 * Steps recorded on a lot by the organization that holds it (processing, storage, inspection,
 * corrections), and custody moving with the goods: a shipping step names the receiver and lets its
 * organization read the lot's whole chain, and the receiver's receiving step makes it the
 * custodian. Each step is an event appended in the same transaction as the lot records it changes.
 */
export class CustodyService {
  constructor(
    private readonly store: Store,
    private readonly recorder: EventRecorder,
    private readonly batches: BatchService,
  ) {}

  async addStep(actor: Actor, batchId: string, input: StepCreate): Promise<StepRecord> {
    if (input.type === 'inspection') requireRole(actor, ['inspector', 'operator', 'admin'], 'record inspections');
    else requireRole(actor, ['farmer', 'operator', 'admin'], `record ${input.type} steps`);
    const initial = await this.batches.get(actor, batchId);
    const receiver = input.receiver ? await this.findOrganization(input.receiver) : null;
    if (input.receiver && !receiver) throw ValidationError.field('receiver', 'no-such-organization', 'no such organization');

    return this.store.transaction(async (tx) => {
      const batch = (await tx.batches.findById(batchId)) ?? initial;
      const actingOrg = await requireOrg(tx, this.authorizeStep(actor, batch, input));
      if (receiver && actor.scopeOrgIds.includes(receiver.id)) throw ValidationError.field('receiver', 'already-yours', 'the goods are already yours');
      if (input.corrects) await this.assertCorrectable(tx, batchId, input.corrects);
      const custodian = await requireOrg(tx, batch.custodianOrgId);
      const head = await tx.events.headOf(batchId);
      const event = stepEvent(
        { ...envelope(actor, actingOrg, input.occurredAt, head ? [head.hash] : []), corrects: input.corrects ?? null },
        {
          stepType: input.type,
          lot: lotRef(batch),
          place: input.place,
          notes: input.notes,
          inputs: (input.inputs ?? []).map((i) => ({ lot: lotRef(batch), quantity: i.quantity })),
          outputs: (input.outputs ?? []).map((o) => ({ lot: lotRef(batch), quantity: o.quantity })),
          receiver: receiver ?? undefined,
          sender: input.type === 'receiving' ? custodian : undefined,
        },
      );
      const recorded = await this.recorder.record(tx, {
        event,
        signer: actingOrg,
        corrects: input.corrects ?? null,
        links: [{ targetId: batchId, role: 'subject' }],
      });
      if (input.type === 'shipping' && receiver) {
        await tx.batches.update(batchId, { pendingReceiverOrgId: receiver.id });
        await this.grantChain(tx, batch, [receiver.id]);
      } else if (input.type === 'receiving') {
        await tx.batches.update(batchId, { custodianOrgId: actingOrg.id, pendingReceiverOrgId: null });
      }
      return toStep(batchId, recorded);
    });
  }

  /** The organization whose name the step is recorded under, after checking custody rules. */
  private authorizeStep(actor: Actor, batch: BatchRecord, input: StepCreate): string {
    if (input.type === 'receiving') {
      if (!batch.pendingReceiverOrgId || !actor.scopeOrgIds.includes(batch.pendingReceiverOrgId)) {
        throw new AppError({
          status: 409,
          type: problemType('not-shipped-to-you'),
          code: 'not-shipped-to-you',
          title: 'Nothing to receive',
          detail: 'This lot has not been shipped to your organization.',
          errors: [{ path: 'type', code: 'not-shipped-to-you', message: 'receiving needs a shipping step that names your organization' }],
        });
      }
      return batch.pendingReceiverOrgId;
    }
    if (input.type === 'inspection' && actor.role === 'inspector') {
      // A certification body inspects lots on the market (published) or lots it was shipped; an
      // inspection never widens what it can read.
      if (!batch.published && !batch.accessOrgIds.some((id) => actor.scopeOrgIds.includes(id))) throw new NotFoundError('Batch');
      return actor.orgId;
    }
    assertInCustody(actor, batch, 'type');
    return batch.custodianOrgId;
  }

  private async assertCorrectable(tx: Repositories, batchId: string, eventId: string): Promise<void> {
    const target = await tx.events.findById(eventId);
    if (!target || !target.links.some((l) => l.targetId === batchId)) throw ValidationError.field('corrects', 'no-such-step', 'no such step on this lot');
  }

  /** Lets `orgIds` read the lot and every lot it was made from. */
  private async grantChain(tx: Repositories, batch: BatchRecord, orgIds: string[]): Promise<void> {
    const seen = new Set<string>();
    const queue = [batch.id];
    while (queue.length) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      await tx.batches.grantAccess(id, orgIds);
      const current = id === batch.id ? batch : await tx.batches.findById(id);
      queue.push(...(current?.derivedFrom ?? []));
    }
  }

  private async findOrganization(reference: string): Promise<OrganizationRecord | null> {
    const byId = /^[0-9a-f-]{36}$/.test(reference) ? await this.store.organizations.findById(reference) : null;
    return byId ?? (await this.store.organizations.findBySlug(reference));
  }
}
