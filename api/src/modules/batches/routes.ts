import { z } from 'zod';
import type { ApiRouter } from '../../core/api-router.js';
import { ListQuery, listResponseSchema, toListResponse, toPageRequest } from '../../core/pagination.js';
import { IdParams } from '../../core/schemas.js';
import { lotDigitalLink } from '../../domain/gs1/digital-link.js';
import type { BatchRecord } from '../../store/port.js';
import { Batch, BatchCreate, BatchStepParams, MergeCreate, SplitCreate, SplitResult, Step, StepCreate } from './schema.js';
import type { CustodyService } from './custody-service.js';
import type { BatchService } from './lifecycle-service.js';
import type { StepRecord } from './lot-events.js';
import type { TransformationService } from './transformation-service.js';

export function batchRoutes(api: ApiRouter, batches: BatchService, custody: CustodyService, transformations: TransformationService, publicBaseUrl: string): void {
  const view = ({ accessOrgIds: _a, createdBy: _c, ...batch }: BatchRecord): z.output<typeof Batch> => ({
    ...batch,
    digitalLink: lotDigitalLink(publicBaseUrl, batch),
  });
  const stepView = (s: StepRecord): z.output<typeof Step> => ({
    id: s.event.hash,
    eventID: s.event.id,
    batchId: s.batchId,
    type: s.event.stepType ?? s.event.type,
    occurredAt: s.event.eventTime,
    recordedAt: s.event.createdAt,
    orgId: s.event.orgId,
    role: s.role,
    corrects: s.event.corrects,
    event: s.event.body,
  });
  const batchLocation = (b: BatchRecord) => `/api/v1/batches/${b.id}`;

  api.route(
    {
      method: 'post',
      path: '/api/v1/batches',
      summary: 'Record a harvest lot from one or more plots',
      tag: 'batches',
      auth: 'token',
      body: BatchCreate,
      responses: [{ status: 201, description: 'Created', schema: Batch }],
    },
    async ({ body, actor }) => {
      const batch = await batches.create(actor, body);
      return { status: 201, body: view(batch), location: batchLocation(batch) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/batches',
      summary: 'Lots in the caller’s chain of custody, newest first',
      tag: 'batches',
      auth: 'token',
      query: ListQuery,
      responses: [{ status: 200, description: 'Page of lots', schema: listResponseSchema(Batch) }],
    },
    async ({ query, actor }) => ({ status: 200, body: toListResponse(await batches.list(actor, toPageRequest(query)), view) }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/v1/batches/merge',
      summary: 'Merge several lots into a new one (a TransformationEvent keeps the ancestry)',
      tag: 'batches',
      auth: 'token',
      body: MergeCreate,
      responses: [{ status: 201, description: 'The merged lot', schema: Batch }],
    },
    async ({ body, actor }) => {
      const merged = await transformations.merge(actor, body);
      return { status: 201, body: view(merged), location: batchLocation(merged) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/batches/:id',
      summary: 'One lot',
      tag: 'batches',
      auth: 'token',
      params: IdParams,
      responses: [{ status: 200, description: 'Lot', schema: Batch }],
    },
    async ({ params, actor }) => ({ status: 200, body: view(await batches.get(actor, params.id)) }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/v1/batches/:id/split',
      summary: 'Split a lot into several new lots',
      tag: 'batches',
      auth: 'token',
      params: IdParams,
      body: SplitCreate,
      responses: [{ status: 201, description: 'The new lots', schema: SplitResult }],
    },
    async ({ params, body, actor }) => {
      const parts = await transformations.split(actor, params.id, body);
      // Several lots are created; Location names the first, the body lists them all.
      return { status: 201, body: { items: parts.map(view) }, location: batchLocation(parts[0]!) };
    },
  );

  for (const published of [true, false]) {
    api.route(
      {
        method: 'post',
        path: `/api/v1/batches/:id/${published ? 'publish' : 'unpublish'}`,
        summary: published ? 'Make the lot public: origin page, QR codes, provenance bundle' : 'Withdraw the lot from public view',
        tag: 'batches',
        auth: 'token',
        params: IdParams,
        responses: [{ status: 200, description: 'Lot', schema: Batch }],
      },
      async ({ params, actor }) => ({ status: 200, body: view(await batches.setPublished(actor, params.id, published)) }),
    );
  }

  api.route(
    {
      method: 'post',
      path: '/api/v1/batches/:id/steps',
      summary: 'Record a processing, storage, shipping, receiving or inspection step',
      tag: 'steps',
      auth: 'token',
      params: IdParams,
      body: StepCreate,
      responses: [{ status: 201, description: 'Created', schema: Step }],
    },
    async ({ params, body, actor }) => {
      const step = await custody.addStep(actor, params.id, body);
      return { status: 201, body: stepView(step), location: `/api/v1/batches/${params.id}/steps/${step.event.hash}` };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/batches/:id/steps',
      summary: 'The lot’s events, oldest first (harvest, steps, merges and splits)',
      tag: 'steps',
      auth: 'token',
      params: IdParams,
      query: ListQuery,
      responses: [{ status: 200, description: 'Page of steps', schema: listResponseSchema(Step) }],
    },
    async ({ params, query, actor }) => ({
      status: 200,
      body: toListResponse(await batches.listSteps(actor, params.id, toPageRequest(query)), stepView),
    }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/batches/:id/steps/:stepId',
      summary: 'One step of the lot',
      tag: 'steps',
      auth: 'token',
      params: BatchStepParams,
      responses: [{ status: 200, description: 'Step', schema: Step }],
    },
    async ({ params, actor }) => ({ status: 200, body: stepView(await batches.getStep(actor, params.id, params.stepId)) }),
  );
}
