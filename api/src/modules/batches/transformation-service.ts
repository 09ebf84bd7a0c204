import { requireRole, type Actor } from '../../core/auth.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { newId, newPublicCode, nowIso } from '../../core/ids.js';
import { transformationEvent, type LotQuantity } from '../../domain/event-model.js';
import { toKilograms, type Quantity } from '../../domain/quantity.js';
import type { EventRecorder } from '../../provenance/event-recorder.js';
import type { BatchRecord, Store } from '../../store/port.js';
import type { BatchService } from './lifecycle-service.js';
import { envelope, heads, lotRef } from './lot-events.js';
import { assertInCustody, assertLotIsNew, canRead, requireOrg } from './lot-rules.js';
import type { MergeCreate, SplitCreate } from './schema.js';

/** Rounding slack when comparing declared masses (kg). */
const MASS_TOLERANCE_KG = 0.001;

/**
 * Lots made from other lots: merges (a blend of several lots in the actor's custody) and splits
 * (one lot into parts), each a TransformationEvent that keeps the ancestry, recorded in the same
 * transaction as the new lots.
 */
export class TransformationService {
  constructor(
    private readonly store: Store,
    private readonly recorder: EventRecorder,
    private readonly batches: BatchService,
  ) {}

  /** Blends several lots in the actor's custody into a new lot. */
  async merge(actor: Actor, input: MergeCreate): Promise<BatchRecord> {
    requireRole(actor, ['operator', 'admin'], 'merge lots');
    const actingOrg = await requireOrg(this.store, actor.orgId);
    return this.store.transaction(async (tx) => {
      const inputs: BatchRecord[] = [];
      for (const [index, item] of input.inputs.entries()) {
        const batch = await tx.batches.findById(item.batchId);
        if (!batch || !canRead(actor, batch)) throw ValidationError.field(`inputs[${index}].batchId`, 'no-such-lot', 'no such lot');
        assertInCustody(actor, batch, `inputs[${index}].batchId`);
        if (item.quantity && toKilograms(item.quantity) > toKilograms(batch.quantity) + MASS_TOLERANCE_KG) {
          throw ValidationError.field(`inputs[${index}].quantity`, 'quantity-exceeds-input', 'more than the lot holds');
        }
        inputs.push(batch);
      }
      const available = input.inputs.reduce((sum, item, i) => sum + toKilograms(item.quantity ?? inputs[i]!.quantity), 0);
      if (toKilograms(input.quantity) > available + MASS_TOLERANCE_KG) {
        throw ValidationError.field('quantity', 'merge-heavier-than-inputs', `the merged lot (${toKilograms(input.quantity)} kg) is heavier than its inputs (${available} kg)`, { quantityKg: toKilograms(input.quantity), availableKg: available });
      }
      const merged = this.derivedBatch(actor, {
        product: input.product,
        variety: input.variety ?? null,
        quantity: input.quantity,
        lotNumber: input.lotNumber,
        gtin: input.gtin,
        sources: inputs,
      });
      await assertLotIsNew(tx, merged.orgId, merged.product, merged.lotNumber, merged.gtin);
      const prev = await heads(tx, inputs.map((b) => b.id));
      const event = transformationEvent(envelope(actor, actingOrg, input.occurredAt, prev), {
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
    const actingOrg = await requireOrg(this.store, actor.orgId);
    await this.batches.get(actor, batchId);
    return this.store.transaction(async (tx) => {
      const source = await tx.batches.findById(batchId);
      if (!source) throw new NotFoundError('Batch');
      assertInCustody(actor, source, 'id');
      const total = input.outputs.reduce((sum, o) => sum + toKilograms(o.quantity), 0);
      if (total > toKilograms(source.quantity) + MASS_TOLERANCE_KG) {
        throw ValidationError.field('outputs', 'parts-heavier-than-lot', `the parts (${total} kg) weigh more than the lot (${toKilograms(source.quantity)} kg)`, { totalKg: total, lotKg: toKilograms(source.quantity) });
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
          throw ValidationError.field(`outputs[${index}].lotNumber`, 'listed-twice', 'two parts have the same lot number');
        }
        if (gtinKey) byGtin.add(gtinKey);
        byProduct.add(productKey);
        await assertLotIsNew(tx, out.orgId, out.product, out.lotNumber, out.gtin, `outputs[${index}].lotNumber`);
      }
      const head = await tx.events.headOf(source.id);
      const event = transformationEvent(envelope(actor, actingOrg, input.occurredAt, head ? [head.hash] : []), {
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
}
