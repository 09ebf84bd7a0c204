import type { ApiRouter } from '../../core/api-router.js';
import { ListQuery, listResponseSchema, toListResponse, toPageRequest } from '../../core/pagination.js';
import { IdParams } from '../../core/schemas.js';
import { Plot, PlotCreate } from './schema.js';
import { plotView, type PlotService } from './service.js';

export function plotRoutes(api: ApiRouter, plots: PlotService): void {
  api.route(
    {
      method: 'post',
      path: '/api/v1/plots',
      summary: 'Register a farm plot (EUDR geometry rules apply)',
      tag: 'plots',
      auth: 'token',
      body: PlotCreate,
      responses: [{ status: 201, description: 'Created', schema: Plot }],
    },
    async ({ body, actor }) => {
      const plot = await plots.create(actor, body);
      return { status: 201, body: plotView(plot), location: `/api/v1/plots/${plot.id}` };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/plots',
      summary: 'Plots of the caller’s organization and its member households, newest first',
      tag: 'plots',
      auth: 'token',
      query: ListQuery,
      responses: [{ status: 200, description: 'Page of plots', schema: listResponseSchema(Plot) }],
    },
    async ({ query, actor }) => ({ status: 200, body: toListResponse(await plots.list(actor, toPageRequest(query)), (p) => plotView(p)) }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/plots/:id',
      summary: 'One plot',
      tag: 'plots',
      auth: 'token',
      params: IdParams,
      responses: [{ status: 200, description: 'Plot', schema: Plot }],
    },
    async ({ params, actor }) => ({ status: 200, body: plotView(await plots.get(actor, params.id)) }),
  );
}
