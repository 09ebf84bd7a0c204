import type { z } from 'zod';
import type { ApiRouter } from '../../core/api-router.js';
import { ListQuery, listResponseSchema, toListResponse, toPageRequest } from '../../core/pagination.js';
import { IdParams } from '../../core/schemas.js';
import { productDigitalLink } from '../../domain/gs1/digital-link.js';
import { renditionUrl } from '../../media/rendition-urls.js';
import type { ProductRecord } from '../../store/port.js';
import { Listing, ListingCreate, Product, ProductCreate, ProductUpdate, Readiness } from './schema.js';
import type { ProductService } from './service.js';

export function productRoutes(api: ApiRouter, products: ProductService, publicBaseUrl: string): void {
  const view = async (p: ProductRecord): Promise<z.output<typeof Product>> => ({
    ...p,
    digitalLink: productDigitalLink(publicBaseUrl, p.gtin),
    images: (await products.images(p.id)).map((m) => {
      const largest = m.renditions.at(-1);
      return { mediaId: m.id, url: largest ? renditionUrl(publicBaseUrl, largest.sha256) : '', width: m.width, height: m.height };
    }),
  });

  api.route(
    {
      method: 'post',
      path: '/api/v1/products',
      summary: 'Create a product (a trade item with a GTIN) made from lots',
      tag: 'products',
      auth: 'token',
      body: ProductCreate,
      responses: [{ status: 201, description: 'Created', schema: Product }],
    },
    async ({ actor, body }) => {
      const product = await products.create(actor, body);
      return { status: 201, body: await view(product), location: `/api/v1/products/${product.id}` };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/products',
      summary: 'The organization’s products, newest first',
      tag: 'products',
      auth: 'token',
      query: ListQuery,
      responses: [{ status: 200, description: 'Page of products', schema: listResponseSchema(Product) }],
    },
    async ({ actor, query }) => {
      const page = await products.list(actor, toPageRequest(query));
      const items = [];
      for (const p of page.items) items.push(await view(p));
      return { status: 200, body: { ...toListResponse(page, (x) => x), items } };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/products/:id',
      summary: 'One product',
      tag: 'products',
      auth: 'token',
      params: IdParams,
      responses: [{ status: 200, description: 'Product', schema: Product }],
    },
    async ({ actor, params }) => ({ status: 200, body: await view(await products.get(actor, params.id)) }),
  );

  api.route(
    {
      method: 'patch',
      path: '/api/v1/products/:id',
      summary: 'Change a product’s catalog data (stock, price, texts…)',
      tag: 'products',
      auth: 'token',
      params: IdParams,
      body: ProductUpdate,
      responses: [{ status: 200, description: 'Product', schema: Product }],
    },
    async ({ actor, params, body }) => ({ status: 200, body: await view(await products.update(actor, params.id, body)) }),
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/products/:id/readiness',
      summary: 'Per marketplace, what the product still lacks to be listed',
      tag: 'products',
      auth: 'token',
      params: IdParams,
      responses: [{ status: 200, description: 'Report', schema: Readiness }],
    },
    async ({ actor, params }) => ({ status: 200, body: await products.readiness(actor, params.id) }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/v1/listings',
      summary: 'Record where a product is sold',
      tag: 'products',
      auth: 'token',
      body: ListingCreate,
      responses: [{ status: 201, description: 'Created', schema: Listing }],
    },
    async ({ actor, body }) => {
      const listing = await products.createListing(actor, body);
      return { status: 201, body: listing, location: `/api/v1/listings/${listing.id}` };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/v1/listings',
      summary: 'The organization’s marketplace listings, newest first',
      tag: 'products',
      auth: 'token',
      query: ListQuery,
      responses: [{ status: 200, description: 'Page of listings', schema: listResponseSchema(Listing) }],
    },
    async ({ actor, query }) => ({ status: 200, body: toListResponse(await products.listListings(actor, toPageRequest(query)), (l) => l) }),
  );

  api.route(
    {
      method: 'delete',
      path: '/api/v1/listings/:id',
      summary: 'Remove a listing',
      tag: 'products',
      auth: 'token',
      params: IdParams,
      responses: [{ status: 204, description: 'Removed' }],
    },
    async ({ actor, params }) => {
      await products.removeListing(actor, params.id);
      return { status: 204 };
    },
  );
}
