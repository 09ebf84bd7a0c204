import { requireRole, type Actor } from '../../core/auth.js';
import { recordAudit } from '../../audit/record-audit.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.js';
import { newId, newPublicCode, nowIso } from '../../core/ids.js';
import { allPages } from '../../core/pagination.js';
import { harvestEvent } from '../../domain/event-model.js';
import type { EventRecorder } from '../../provenance/event-recorder.js';
import type { BatchRecord, Page, PageRequest, PlotRecord, Store } from '../../store/port.js';
import { envelope, lotRef, toStep, type StepRecord } from './lot-events.js';
import { assertInCustody, assertLotIsNew, canRead, requireOrg } from './lot-rules.js';
import type { BatchCreate } from './schema.js';

/**
 * Harvest lots from their recording to their publication: a lot is recorded from its plots, read
 * (with its steps) by its chain of custody or by anyone once published, and published or withdrawn
 * by its owner's admins. Steps are recorded by CustodyService, merges and splits by
 * TransformationService. Every fact is an event appended in the same transaction as the lot
 * records it changes.
 */
export class BatchService {
  constructor(
    private readonly store: Store,
    private readonly recorder: EventRecorder,
  ) {}

  async create(actor: Actor, input: BatchCreate): Promise<BatchRecord> {
    requireRole(actor, ['farmer', 'operator', 'admin'], 'record harvests');
    const plots: PlotRecord[] = [];
    for (const [index, plotId] of input.plotIds.entries()) {
      const plot = await this.store.plots.findById(plotId);
      if (!plot || !actor.scopeOrgIds.includes(plot.orgId)) throw ValidationError.field(`plotIds[${index}]`, 'no-such-plot', 'no such plot in your organization');
      plots.push(plot);
    }
    const plotOwners = new Set(plots.map((p) => p.orgId));
    const ownerId = plotOwners.size === 1 ? [...plotOwners][0]! : actor.orgId;
    const recordedBy = await requireOrg(this.store, actor.orgId);
    const code = newPublicCode();
    const lotNumber = input.lotNumber ?? code;
    await assertLotIsNew(this.store, ownerId, input.product, lotNumber, input.gtin ?? null);

    const now = nowIso();
    const batch: BatchRecord = {
      id: newId(),
      orgId: ownerId,
      custodianOrgId: ownerId,
      pendingReceiverOrgId: null,
      accessOrgIds: [...new Set([ownerId, actor.orgId])].sort(),
      plotIds: input.plotIds,
      derivedFrom: [],
      product: input.product,
      variety: input.variety ?? null,
      harvestedAt: input.harvestedAt ?? null,
      harvestPeriod: input.harvestPeriod ?? null,
      quantity: input.quantity,
      lotNumber,
      gtin: input.gtin ?? null,
      code,
      published: false,
      publishedAt: null,
      createdBy: actor.userId ?? actor.apiKeyId,
      createdAt: now,
    };
    const eventTime = input.harvestPeriod ? `${input.harvestPeriod.to}T00:00:00+07:00` : `${input.harvestedAt}T00:00:00+07:00`;
    await this.store.transaction(async (tx) => {
      // A harvest follows its plots' registrations (not earlier harvests from the same plots).
      const prev: string[] = [];
      for (const plot of plots) {
        const registration = await tx.events.findById(plot.eventId);
        if (registration && !prev.includes(registration.hash)) prev.push(registration.hash);
      }
      const event = harvestEvent(envelope(actor, recordedBy, eventTime, prev), {
        lot: lotRef(batch),
        product: batch.product,
        variety: batch.variety,
        quantity: batch.quantity,
        plotIds: batch.plotIds,
        harvestedAt: batch.harvestedAt,
        harvestPeriod: batch.harvestPeriod,
      });
      await tx.batches.insert(batch);
      await this.recorder.record(tx, {
        event,
        signer: recordedBy,
        links: [{ targetId: batch.id, role: 'subject' }, ...batch.plotIds.map((id) => ({ targetId: id, role: 'plot' as const }))],
      });
    });
    return batch;
  }

  /** A lot the actor may read: one in its chain of custody, or a published one. 404 otherwise. */
  async get(actor: Actor, id: string): Promise<BatchRecord> {
    const batch = await this.store.batches.findById(id);
    if (!batch || !(batch.published || canRead(actor, batch))) throw new NotFoundError('Batch');
    return batch;
  }

  /** A published lot, for anyone without credentials; 404 for anything else. */
  async getPublished(id: string): Promise<BatchRecord> {
    const batch = await this.store.batches.findById(id);
    if (!batch || !batch.published) throw new NotFoundError('Batch');
    return batch;
  }

  /**
   * A lot in the actor's chain of custody, published or not; 404 otherwise. For what publication
   * does not make public (the lot's scan statistics): `get` lets anyone read a published lot.
   */
  async getInChain(actor: Actor, id: string): Promise<BatchRecord> {
    const batch = await this.store.batches.findById(id);
    if (!batch || !canRead(actor, batch)) throw new NotFoundError('Batch');
    return batch;
  }

  list(actor: Actor, page: PageRequest): Promise<Page<BatchRecord>> {
    return this.store.batches.list(actor.scopeOrgIds, page);
  }

  async listSteps(actor: Actor, batchId: string, page: PageRequest): Promise<Page<StepRecord>> {
    await this.get(actor, batchId);
    const events = await this.store.events.listFor(batchId, page);
    return { items: events.items.map((event) => toStep(batchId, event)), next: events.next };
  }

  async getStep(actor: Actor, batchId: string, stepId: string): Promise<StepRecord> {
    await this.get(actor, batchId);
    for await (const event of allPages((page) => this.store.events.listFor(batchId, page))) {
      if (event.hash === stepId) return toStep(batchId, event);
    }
    throw new NotFoundError('Step');
  }

  /** The lot, when the actor's organization holds it and may record on it (403 or 409 otherwise). */
  async requireCustody(actor: Actor, batchId: string): Promise<BatchRecord> {
    const batch = await this.get(actor, batchId);
    assertInCustody(actor, batch, 'id');
    return batch;
  }

  /** Makes a lot public (origin page, provenance bundle, QR); only its owner's admins may. */
  async setPublished(actor: Actor, batchId: string, published: boolean): Promise<BatchRecord> {
    requireRole(actor, ['admin'], 'publish lots');
    const batch = await this.get(actor, batchId);
    if (!actor.scopeOrgIds.includes(batch.orgId)) throw new ForbiddenError('not-lot-owner', 'Only the organization that owns the lot may publish it.');
    if (batch.published === published) return batch;
    const publishedAt = published ? nowIso() : null;
    await this.store.transaction(async (tx) => {
      await tx.batches.update(batchId, { published, publishedAt });
      await recordAudit(tx, { actor, action: published ? 'batch.published' : 'batch.unpublished', targetId: batchId, details: { lotNumber: batch.lotNumber } });
    });
    return { ...batch, published, publishedAt };
  }
}
