import { z } from 'zod';
import { refinement } from '../../core/validation.js';
import { Gtin, Id, IsoDate, IsoDateTimeWithOffset, LotNumber, Place, Quantity, Text } from '../../core/schemas.js';
import { STEP_TYPES } from '../../domain/vocabulary.js';

const LotIdentity = {
  lotNumber: LotNumber.optional().describe('GS1 AI (10); generated when absent'),
  gtin: Gtin.optional().describe('GTIN of the trade item the lot is packed as'),
};

export const BatchCreate = z
  .strictObject({
    plotIds: z.array(Id).min(1).max(100),
    product: Text(100),
    variety: Text(100).optional(),
    harvestedAt: IsoDate.optional(),
    harvestPeriod: z.strictObject({ from: IsoDate, to: IsoDate }).optional(),
    quantity: Quantity,
    ...LotIdentity,
  })
  .superRefine((b, ctx) => {
    if ((b.harvestedAt === undefined) === (b.harvestPeriod === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['harvestedAt'], ...refinement('harvest-time-choice', 'give either harvestedAt or harvestPeriod') });
    }
    if (b.harvestPeriod && b.harvestPeriod.to < b.harvestPeriod.from) {
      ctx.addIssue({ code: 'custom', path: ['harvestPeriod', 'to'], ...refinement('ends-before-start', 'the period ends before it starts') });
    }
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const last = b.harvestPeriod?.to ?? b.harvestedAt;
    if (last && last > tomorrow) ctx.addIssue({ code: 'custom', path: [b.harvestPeriod ? 'harvestPeriod' : 'harvestedAt'], ...refinement('future-time', 'a harvest cannot be in the future') });
    if (new Set(b.plotIds).size !== b.plotIds.length) ctx.addIssue({ code: 'custom', path: ['plotIds'], ...refinement('listed-twice', 'a plot is listed twice') });
  });
export type BatchCreate = z.output<typeof BatchCreate>;

const StepQuantity = z.strictObject({ quantity: Quantity });

export const StepCreate = z
  .strictObject({
    type: z.enum(STEP_TYPES),
    occurredAt: IsoDateTimeWithOffset.describe('ISO 8601; without an offset it is taken as +07:00'),
    place: Place.optional(),
    notes: Text(2000).optional(),
    inputs: z.array(StepQuantity).max(50).optional(),
    outputs: z.array(StepQuantity).max(50).optional(),
    receiver: Text(100).optional().describe('Shipping only: id or slug of the receiving organization'),
    corrects: Text(200).optional().describe('eventID of an earlier step of this lot that this one corrects'),
  })
  .superRefine((s, ctx) => {
    if (s.type === 'shipping' && !s.receiver) ctx.addIssue({ code: 'custom', path: ['receiver'], ...refinement('receiver-required', 'a shipping step names the receiving organization') });
    if (s.type !== 'shipping' && s.receiver) ctx.addIssue({ code: 'custom', path: ['receiver'], ...refinement('receiver-not-allowed', 'only shipping steps have a receiver') });
    if (Date.parse(s.occurredAt) > Date.now() + 5 * 60_000) ctx.addIssue({ code: 'custom', path: ['occurredAt'], ...refinement('future-time', 'a step cannot be in the future') });
  });
export type StepCreate = z.output<typeof StepCreate>;

const TransformationCommon = {
  occurredAt: IsoDateTimeWithOffset,
  place: Place.optional(),
  notes: Text(2000).optional(),
};

export const MergeCreate = z.strictObject({
  inputs: z
    .array(z.strictObject({ batchId: Id, quantity: Quantity.optional().describe('How much of the lot went in; all of it when absent') }))
    .min(2)
    .max(200)
    .refine((inputs) => new Set(inputs.map((i) => i.batchId)).size === inputs.length, refinement('listed-twice', 'a lot is listed twice')),
  product: Text(100),
  variety: Text(100).optional(),
  quantity: Quantity,
  ...LotIdentity,
  ...TransformationCommon,
});
export type MergeCreate = z.output<typeof MergeCreate>;

export const SplitCreate = z.strictObject({
  outputs: z
    .array(z.strictObject({ quantity: Quantity, product: Text(100).optional(), ...LotIdentity }))
    .min(2)
    .max(200),
  ...TransformationCommon,
});
export type SplitCreate = z.output<typeof SplitCreate>;

export const BatchStepParams = z.strictObject({ id: Id, stepId: z.string().regex(/^[0-9a-f]{64}$/, 'a step id is a 64-digit hex event hash') });

const QuantityOut = z.object({ value: z.number(), unit: z.enum(['kg', 't', 'bag']), bagKg: z.number().optional() });

export const Batch = z.object({
  id: z.string(),
  orgId: z.string(),
  custodianOrgId: z.string(),
  pendingReceiverOrgId: z.string().nullable(),
  plotIds: z.array(z.string()),
  derivedFrom: z.array(z.string()),
  product: z.string(),
  variety: z.string().nullable(),
  harvestedAt: z.string().nullable(),
  harvestPeriod: z.object({ from: z.string(), to: z.string() }).nullable(),
  quantity: QuantityOut,
  lotNumber: z.string(),
  gtin: z.string().nullable(),
  code: z.string(),
  digitalLink: z.string(),
  published: z.boolean(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const Step = z.object({
  id: z.string().describe('The event hash (hex SHA-256 of the event’s RFC 8785 bytes)'),
  eventID: z.string(),
  batchId: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  orgId: z.string(),
  role: z.enum(['subject', 'input', 'output', 'plot']),
  corrects: z.string().nullable(),
  event: z.record(z.string(), z.unknown()).describe('The EPCIS 2.0 event as recorded'),
});

export const SplitResult = z.object({ items: z.array(Batch) });
