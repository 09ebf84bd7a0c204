import { requireRole, type Actor } from '../../core/auth.js';
import { recordAudit } from '../../audit/record-audit.js';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError, problemType } from '../../core/errors.js';
import { newId, newPublicCode, nowIso } from '../../core/ids.js';
import { allPages } from '../../core/pagination.js';
import {
  harvestEvent,
  stepEvent,
  transformationEvent,
  type EventEnvelope,
  type LotQuantity,
  type LotRef,
} from '../../domain/event-model.js';
import { toKilograms, type Quantity } from '../../domain/quantity.js';
import type { EventRecorder } from '../../provenance/event-recorder.js';
import type { BatchRecord, EventRecord, OrganizationRecord, Page, PageRequest, PlotRecord, Repositories, Store } from '../../store/port.js';
import type { BatchCreate, MergeCreate, SplitCreate, StepCreate } from './schema.js';

/** Rounding slack when comparing declared masses (kg). */
const MASS_TOLERANCE_KG = 0.001;

const lotRef = (b: Pick<BatchRecord, 'gtin' | 'lotNumber' | 'code'>): LotRef => ({ gtin: b.gtin, lotNumber: b.lotNumber, code: b.code });

export interface StepRecord {
  batchId: string;
  role: EventRecord['links'][number]['role'];
  event: EventRecord;
}

/**
 * Harvest lots and everything that happens to them: processing steps, custody moving with the
 * goods (shipping → receiving), merges and splits, corrections, publication. Every fact is an
 * event appended in the same transaction as the lot records it changes.
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
      if (!plot || !actor.scopeOrgIds.includes(plot.orgId)) throw ValidationError.field(`plotIds[${index}]`, 'no such plot in your organization');
      plots.push(plot);
    }
    const plotOwners = new Set(plots.map((p) => p.orgId));
    const ownerId = plotOwners.size === 1 ? [...plotOwners][0]! : actor.orgId;
    const recordedBy = await this.requireOrg(actor.orgId);
    const code = newPublicCode();
    const lotNumber = input.lotNumber ?? code;
    await this.assertLotIsNew(ownerId, input.product, lotNumber, input.gtin ?? null);

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
      const event = harvestEvent(this.envelope(actor, recordedBy, eventTime, prev), {
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

  async addStep(actor: Actor, batchId: string, input: StepCreate): Promise<StepRecord> {
    if (input.type === 'inspection') requireRole(actor, ['inspector', 'operator', 'admin'], 'record inspections');
    else requireRole(actor, ['farmer', 'operator', 'admin'], `record ${input.type} steps`);
    const initial = await this.get(actor, batchId);
    const receiver = input.receiver ? await this.findOrganization(input.receiver) : null;
    if (input.receiver && !receiver) throw ValidationError.field('receiver', 'no such organization');

    return this.store.transaction(async (tx) => {
      const batch = (await tx.batches.findById(batchId)) ?? initial;
      const actingOrg = await this.requireOrg(this.authorizeStep(actor, batch, input), tx);
      if (receiver && actor.scopeOrgIds.includes(receiver.id)) throw ValidationError.field('receiver', 'the goods are already yours');
      if (input.corrects) await this.assertCorrectable(tx, batchId, input.corrects);
      const custodian = await this.requireOrg(batch.custodianOrgId, tx);
      const head = await tx.events.headOf(batchId);
      const event = stepEvent(
        { ...this.envelope(actor, actingOrg, input.occurredAt, head ? [head.hash] : []), corrects: input.corrects ?? null },
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

  /** Blends several lots in the actor's custody into a new lot. */
  async merge(actor: Actor, input: MergeCreate): Promise<BatchRecord> {
    requireRole(actor, ['operator', 'admin'], 'merge lots');
    const actingOrg = await this.requireOrg(actor.orgId);
    return this.store.transaction(async (tx) => {
      const inputs: BatchRecord[] = [];
      for (const [index, item] of input.inputs.entries()) {
        const batch = await tx.batches.findById(item.batchId);
        if (!batch || !canRead(actor, batch)) throw ValidationError.field(`inputs[${index}].batchId`, 'no such lot');
        this.assertInCustody(actor, batch, `inputs[${index}].batchId`);
        if (item.quantity && toKilograms(item.quantity) > toKilograms(batch.quantity) + MASS_TOLERANCE_KG) {
          throw ValidationError.field(`inputs[${index}].quantity`, 'more than the lot holds');
        }
        inputs.push(batch);
      }
      const available = input.inputs.reduce((sum, item, i) => sum + toKilograms(item.quantity ?? inputs[i]!.quantity), 0);
      if (toKilograms(input.quantity) > available + MASS_TOLERANCE_KG) {
        throw ValidationError.field('quantity', `the merged lot (${toKilograms(input.quantity)} kg) is heavier than its inputs (${available} kg)`);
      }
      const merged = this.derivedBatch(actor, {
        product: input.product,
        variety: input.variety ?? null,
        quantity: input.quantity,
        lotNumber: input.lotNumber,
        gtin: input.gtin,
        sources: inputs,
      });
      await this.assertLotIsNew(merged.orgId, merged.product, merged.lotNumber, merged.gtin, tx);
      const prev = await heads(tx, inputs.map((b) => b.id));
      const event = transformationEvent(this.envelope(actor, actingOrg, input.occurredAt, prev), {
        kind: 'merge',
        inputs: inputs.map((b, i): LotQuantity => ({ lot: lotRef(b), quantity: input.inputs[i]!.quantity ?? b.quantity })),
        outputs: [{ lot: lotRef(merged), quantity: merged.quantity }],
        place: input.place,
        notes: input.notes,
      });
      await tx.batches.insert(merged);
      await this.recorder.record(tx, {
        event,
        signer: actingOrg,
        links: [...inputs.map((b) => ({ targetId: b.id, role: 'input' as const })), { targetId: merged.id, role: 'output' }],
      });
      return merged;
    });
  }

  /** Splits a lot in the actor's custody into several new lots (e.g. retail packs). */
  async split(actor: Actor, batchId: string, input: SplitCreate): Promise<BatchRecord[]> {
    requireRole(actor, ['operator', 'admin'], 'split lots');
    const actingOrg = await this.requireOrg(actor.orgId);
    await this.get(actor, batchId);
    return this.store.transaction(async (tx) => {
      const source = await tx.batches.findById(batchId);
      if (!source) throw new NotFoundError('Batch');
      this.assertInCustody(actor, source, 'id');
      const total = input.outputs.reduce((sum, o) => sum + toKilograms(o.quantity), 0);
      if (total > toKilograms(source.quantity) + MASS_TOLERANCE_KG) {
        throw ValidationError.field('outputs', `the parts (${total} kg) weigh more than the lot (${toKilograms(source.quantity)} kg)`);
      }
      const outputs = input.outputs.map((o) =>
        this.derivedBatch(actor, {
          product: o.product ?? source.product,
          variety: source.variety,
          quantity: o.quantity,
          lotNumber: o.lotNumber,
          gtin: o.gtin,
          sources: [source],
        }),
      );
      // The same two uniqueness rules as the store's, among the parts themselves.
      const byGtin = new Set<string>();
      const byProduct = new Set<string>();
      for (const [index, out] of outputs.entries()) {
        const gtinKey = out.gtin ? `${out.gtin}|${out.lotNumber}` : null;
        const productKey = `${out.product}|${out.lotNumber}`;
        if ((gtinKey && byGtin.has(gtinKey)) || byProduct.has(productKey)) {
          throw ValidationError.field(`outputs[${index}].lotNumber`, 'two parts have the same lot number');
        }
        if (gtinKey) byGtin.add(gtinKey);
        byProduct.add(productKey);
        await this.assertLotIsNew(out.orgId, out.product, out.lotNumber, out.gtin, tx, `outputs[${index}].lotNumber`);
      }
      const head = await tx.events.headOf(source.id);
      const event = transformationEvent(this.envelope(actor, actingOrg, input.occurredAt, head ? [head.hash] : []), {
        kind: 'split',
        inputs: [{ lot: lotRef(source), quantity: { value: total, unit: 'kg' } }],
        outputs: outputs.map((b) => ({ lot: lotRef(b), quantity: b.quantity })),
        place: input.place,
        notes: input.notes,
      });
      for (const out of outputs) await tx.batches.insert(out);
      await this.recorder.record(tx, {
        event,
        signer: actingOrg,
        links: [{ targetId: source.id, role: 'input' }, ...outputs.map((b) => ({ targetId: b.id, role: 'output' as const }))],
      });
      return outputs;
    });
  }

  /** The lot, when the actor's organization holds it and may record on it (403 or 409 otherwise). */
  async requireCustody(actor: Actor, batchId: string): Promise<BatchRecord> {
    const batch = await this.get(actor, batchId);
    this.assertInCustody(actor, batch, 'id');
    return batch;
  }

  /** Makes a lot public (origin page, provenance bundle, QR); only its owner's admins may. */
  async setPublished(actor: Actor, batchId: string, published: boolean): Promise<BatchRecord> {
    requireRole(actor, ['admin'], 'publish lots');
    const batch = await this.get(actor, batchId);
    if (!actor.scopeOrgIds.includes(batch.orgId)) throw new ForbiddenError('Only the organization that owns the lot may publish it.');
    if (batch.published === published) return batch;
    const publishedAt = published ? nowIso() : null;
    await this.store.transaction(async (tx) => {
      await tx.batches.update(batchId, { published, publishedAt });
      await recordAudit(tx, { actor, action: published ? 'batch.published' : 'batch.unpublished', targetId: batchId, details: { lotNumber: batch.lotNumber } });
    });
    return { ...batch, published, publishedAt };
  }

  /** The organization whose name the step is recorded under, after checking custody rules. */
  private authorizeStep(actor: Actor, batch: BatchRecord, input: StepCreate): string {
    if (input.type === 'receiving') {
      if (!batch.pendingReceiverOrgId || !actor.scopeOrgIds.includes(batch.pendingReceiverOrgId)) {
        throw new AppError({
          status: 409,
          type: problemType('not-shipped-to-you'),
          title: 'Nothing to receive',
          detail: 'This lot has not been shipped to your organization.',
          errors: [{ path: 'type', message: 'receiving needs a shipping step that names your organization' }],
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
    this.assertInCustody(actor, batch, 'type');
    return batch.custodianOrgId;
  }

  private assertInCustody(actor: Actor, batch: BatchRecord, path: string): void {
    if (!actor.scopeOrgIds.includes(batch.custodianOrgId)) {
      throw new ForbiddenError('Your organization does not hold this lot; only its current custodian may record steps on it.');
    }
    if (batch.pendingReceiverOrgId) {
      throw new ConflictError(`The lot is in transit to another organization; it must record receiving first.`, path);
    }
  }

  private async assertCorrectable(tx: Repositories, batchId: string, eventId: string): Promise<void> {
    const target = await tx.events.findById(eventId);
    if (!target || !target.links.some((l) => l.targetId === batchId)) throw ValidationError.field('corrects', 'no such step on this lot');
  }

  private async assertLotIsNew(orgId: string, product: string, lotNumber: string, gtin: string | null, tx: Repositories = this.store, path = 'lotNumber'): Promise<void> {
    if (gtin && (await tx.batches.findByGtinLot(gtin, lotNumber))) throw new ConflictError('a lot with this GTIN and lot number already exists', path);
    if (await tx.batches.findByOrgProductLot(orgId, product, lotNumber)) {
      throw new ConflictError('this organization already has a lot of this product with this lot number', path);
    }
  }

  private derivedBatch(
    actor: Actor,
    d: { product: string; variety: string | null; quantity: Quantity; lotNumber: string | undefined; gtin: string | undefined; sources: BatchRecord[] },
  ): BatchRecord {
    const code = newPublicCode();
    const dates = d.sources.flatMap((s) => [s.harvestPeriod?.from ?? s.harvestedAt, s.harvestPeriod?.to ?? s.harvestedAt]).filter((x): x is string => !!x).sort();
    const from = dates[0] ?? null;
    const to = dates.at(-1) ?? null;
    return {
      id: newId(),
      orgId: actor.orgId,
      custodianOrgId: actor.orgId,
      pendingReceiverOrgId: null,
      // A split's parts are the same goods, read by the same chain; a blend starts a chain of its
      // own, so the suppliers of one input never read the others' histories through it.
      accessOrgIds: [...new Set([actor.orgId, ...(d.sources.length === 1 ? d.sources[0]!.accessOrgIds : [])])].sort(),
      plotIds: [...new Set(d.sources.flatMap((s) => s.plotIds))],
      derivedFrom: d.sources.map((s) => s.id),
      product: d.product,
      variety: d.variety,
      harvestedAt: from && from === to ? from : null,
      harvestPeriod: from && to && from !== to ? { from, to } : null,
      quantity: d.quantity,
      lotNumber: d.lotNumber ?? code,
      gtin: d.gtin ?? null,
      code,
      published: false,
      publishedAt: null,
      createdBy: actor.userId ?? actor.apiKeyId,
      createdAt: nowIso(),
    };
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

  private envelope(actor: Actor, org: Pick<OrganizationRecord, 'slug' | 'gln'>, eventTime: string, prev: string[]): EventEnvelope {
    return {
      eventTime,
      recordedBy: { slug: org.slug, gln: org.gln },
      userId: actor.userId,
      prev,
    };
  }

  private async findOrganization(reference: string): Promise<OrganizationRecord | null> {
    const byId = /^[0-9a-f-]{36}$/.test(reference) ? await this.store.organizations.findById(reference) : null;
    return byId ?? (await this.store.organizations.findBySlug(reference));
  }

  private async requireOrg(id: string, repos: Repositories = this.store): Promise<OrganizationRecord> {
    const org = await repos.organizations.findById(id);
    if (!org) throw new NotFoundError('Organization');
    return org;
  }
}

function canRead(actor: Actor, batch: BatchRecord): boolean {
  return batch.accessOrgIds.some((id) => actor.scopeOrgIds.includes(id)) || (batch.pendingReceiverOrgId !== null && actor.scopeOrgIds.includes(batch.pendingReceiverOrgId));
}

/** Hashes of the latest event of each target: what a new event follows (`prev`). */
async function heads(tx: Repositories, targetIds: string[]): Promise<string[]> {
  const hashes: string[] = [];
  for (const id of targetIds) {
    const head = await tx.events.headOf(id);
    if (head) hashes.push(head.hash);
  }
  return [...new Set(hashes)];
}

function toStep(batchId: string, event: EventRecord): StepRecord {
  const role = event.links.find((l) => l.targetId === batchId)?.role ?? 'subject';
  return { batchId, role, event };
}
