import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { AppError, NotFoundError, ValidationError, problemType } from '../../core/errors.js';
import { DIGITAL_LINK_PRIMARY_KEYS } from '../../domain/gs1/ai-table.js';
import { canonicalDigitalLink, parseDigitalLink } from '../../domain/gs1/digital-link.js';
import type { ScanService } from '../scans/service.js';
import type { OriginPageRenderer, PageLanguage, ResolverMiss } from './origin-page-renderer.js';
import { GS1_VOC, UnregisteredItemError, type Resolution, type ResolverService } from './service.js';
import { TtlCache } from '../../core/ttl-cache.js';
import { SHARE_IMAGE, SHARE_IMAGE_FILE, shareCardKey } from '../../media/share-card.js';
import type { ShareImages } from './share-images.js';

const LINKSET = 'application/linkset+json';
const GS1_PREFIX = 'gs1:';
/** Pages reflect a change within this long; browsers and caches may keep them a minute (max-age). */
const ANSWER_TTL_MS = 10_000;
const CACHE_CONTROL = 'public, max-age=60';
const GZIP_MIN_BYTES = 1024;
/** Paths of the service's own that never hold a Digital Link, whatever follows them. */
const NOT_A_LINK_PREFIX = '(?!/(?:api|assets|media|console|\\.well-known)/)';

/** `chosen`: the language was asked for by `?lang=`, not picked from Accept-Language (the page's canonical URL depends on it). */
type Representation = { kind: 'html'; lang: PageLanguage; chosen: boolean } | { kind: 'linkset' } | { kind: 'redirect'; linkType: string };

/** A finished answer: rendered, hashed and gzipped once, then served to every scan of the same identity. */
interface RenderedAnswer {
  status: number;
  contentType: string;
  body: string;
  gzip: Buffer | null;
  etag: string;
}

/**
 * The GS1 Digital Link resolver: `/01/{gtin14}[/10/{lot}][/21/{serial}]`, `/414/{gln}` (and any
 * other well-formed key, which answers 404 until something is registered there), `/l/{code}`
 * and `/.well-known/gs1resolver`. HTML by default (Vietnamese, or English by Accept-Language or
 * `?lang=en`); RFC 9264 linkset for `?linkType=linkset|all` or an Accept of linkset or JSON;
 * `?linkType=gs1:…` → 307 to that link with the rest of the query passed through. Public and
 * CORS-open, as the GS1 resolver standard asks.
 *
 * Answers are keyed by what identifies the item (the canonical Digital Link: key, qualifiers and
 * GS1 data attributes), never by the raw URL, so made-up query parameters cannot fill the cache
 * or force renders; concurrent misses of one item share one resolution. Resolutions are limited
 * per client (RESOLVER_RATE_LIMIT a minute): each new item costs a resolution and a render.
 * `pages` renders the HTML answers. `/media/share/{code}-{lang}-{key}.jpg` is a published lot's
 * share image (og:image), named by its content key.
 */
export function resolverRouter(resolver: ResolverService, scans: ScanService, pages: OriginPageRenderer, limit: RequestHandler, shareImages: ShareImages): Router {
  const router = Router();
  const resolutions = new TtlCache<Promise<Resolution>>({ ttlMs: ANSWER_TTL_MS, maxEntries: 2_000 });
  const answers = new TtlCache<RenderedAnswer>({ ttlMs: ANSWER_TTL_MS, maxEntries: 5_000, maxBytes: 64 * 1024 * 1024, sizeOf: (a) => a.body.length + (a.gzip?.length ?? 0) });
  const keyPattern = new RegExp(`^${NOT_A_LINK_PREFIX}/(?:[^?]*/)?(?:${DIGITAL_LINK_PRIMARY_KEYS.join('|')})/`);

  router.get('/.well-known/gs1resolver', (_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.json(resolver.description());
  });

  router.options(['/l/:code', keyPattern], (_req, res) => {
    corsHeaders(res);
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Accept, Accept-Language');
    res.setHeader('Allow', 'GET, HEAD, OPTIONS');
    res.status(204).end();
  });

  router.get('/l/:code', limit, async (req, res) => {
    const code = String(req.params.code);
    if (!/^[0-9A-Z]{10}$/.test(code)) throw new AppError({ status: 404, type: problemType('not-found'), code: 'not-found', title: 'Not found', detail: 'No lot has this code.' });
    await answer(req, res, `/l/${code}`, () => resolver.byCode(code));
  });

  router.get('/media/share/:file', limit, async (req, res) => {
    const match = SHARE_IMAGE_FILE.exec(String(req.params.file));
    if (!match) throw new NotFoundError('Image');
    const [, code = '', lang = '', key = ''] = match;
    const found = await resolutions.shared(`/l/${code}`, () => resolver.byCode(code));
    if (found.kind !== 'lot') throw new NotFoundError('Image');
    const card = pages.shareCard(found, lang as PageLanguage);
    const current = shareCardKey(card);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    // The lot's name or photo changed since the page was shared: its image has a new name.
    if (current !== key) {
      res.setHeader('Cache-Control', CACHE_CONTROL);
      res.redirect(302, `/media/share/${code}-${lang}-${current}.jpg`);
      return;
    }
    const jpeg = await shareImages.image(card, key);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('ETag', `"${key}"`);
    res.type(SHARE_IMAGE.type).send(jpeg);
  });

  router.get(keyPattern, limit, async (req, res) => {
    const parsed = parseDigitalLink(req.originalUrl);
    if (!parsed.ok) {
      const error = new AppError({
        status: 400,
        type: problemType('digital-link-syntax'),
        code: 'digital-link-syntax',
        params: { rule: parsed.error.rule },
        title: 'Not a valid GS1 Digital Link',
        detail: parsed.error.message,
        errors: [{ path: parsed.error.segment ?? req.path, code: 'digital-link-syntax', params: { rule: parsed.error.rule }, message: `${parsed.error.rule}: ${parsed.error.message}` }],
        extensions: { rule: parsed.error.rule },
      });
      const representation = representationOf(req, pages);
      if (representation.kind === 'html' && wantsHtmlErrors(req)) return sendMiss(res, pages, error, representation.lang, req.path);
      throw error;
    }
    const identity = canonicalDigitalLink('', { ...parsed.value, otherParams: {} });
    await answer(req, res, identity, () => resolver.byDigitalLink(parsed.value));
  });

  async function answer(req: Request, res: Response, identity: string, resolve: () => Promise<Resolution>): Promise<void> {
    corsHeaders(res);
    res.setHeader('Vary', 'Accept, Accept-Language, Accept-Encoding');
    const representation = representationOf(req, pages);
    let found: Resolution;
    try {
      found = await resolutions.shared(identity, resolve);
    } catch (error) {
      if (error instanceof AppError && representation.kind === 'html' && wantsHtmlErrors(req)) return sendMiss(res, pages, error, representation.lang, identity);
      throw error;
    }
    const anchor = found.links[`${GS1_VOC}pip`]![0]!.href;
    res.setHeader('Link', `<${anchor}?linkType=linkset>; rel="linkset"; type="${LINKSET}"`);
    res.setHeader('Cache-Control', CACHE_CONTROL);
    if (representation.kind === 'redirect') {
      res.status(307).setHeader('Location', redirectTarget(req, found, representation.linkType)).end();
      return;
    }
    const key = `${representation.kind === 'html' ? `${representation.lang}${representation.chosen ? '!' : ''}` : 'linkset'}|${identity}`;
    const rendered = answers.get(key) ?? answers.set(key, render(pages, found, representation, identity));
    // A scan is a person opening the page: machine reads of the linkset and redirects are not counted.
    if (representation.kind === 'html' && found.kind === 'lot' && req.method === 'GET') scans.record(found.batch.id, req.get('user-agent'));
    send(req, res, rendered);
  }
  return router;
}

function representationOf(req: Request, pages: OriginPageRenderer): Representation {
  const { linkType, lang } = req.query;
  if (linkType !== undefined && typeof linkType !== 'string') throw ValidationError.field('linkType', 'given-twice', 'give linkType once');
  if (lang !== undefined && typeof lang !== 'string') throw ValidationError.field('lang', 'given-twice', 'give lang once');
  if (linkType === 'linkset' || linkType === 'all') return { kind: 'linkset' };
  if (linkType) return { kind: 'redirect', linkType };
  const preferred = req.accepts(['text/html', LINKSET, 'application/json']);
  if (preferred === LINKSET || preferred === 'application/json') return { kind: 'linkset' };
  return { kind: 'html', lang: pages.language(lang, req.get('accept-language')), chosen: lang === 'vi' || lang === 'en' };
}

function redirectTarget(req: Request, resolution: Resolution, linkType: string): string {
  const relation = linkType.startsWith(GS1_PREFIX) ? `${GS1_VOC}${linkType.slice(GS1_PREFIX.length)}` : linkType;
  const targets = resolution.links[relation] ?? [];
  const lang = typeof req.query.lang === 'string' ? req.query.lang : null;
  // An explicit language picks the link in that language when the item has one.
  const target = (lang ? targets.find((t) => t.hreflang?.includes(lang)) : undefined) ?? targets[0];
  if (!target) throw new AppError({ status: 404, type: problemType('not-found'), code: 'not-found', title: 'Not found', detail: `This item has no ${linkType} link.`, errors: [{ path: 'linkType', code: 'no-such-link', message: `no ${linkType} link`, params: { linkType } }] });
  const params = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
  params.delete('linkType');
  if (target.hreflang?.includes(lang ?? '')) params.delete('lang');
  return withQuery(target.href, params);
}

function render(pages: OriginPageRenderer, resolution: Resolution, representation: Exclude<Representation, { kind: 'redirect' }>, identity: string): RenderedAnswer {
  if (representation.kind === 'linkset') {
    const anchor = resolution.links[`${GS1_VOC}pip`]![0]!.href;
    return finish(200, LINKSET, JSON.stringify({ linkset: [{ anchor, ...resolution.links }] }));
  }
  return finish(200, 'text/html; charset=utf-8', pages.page(resolution, representation.lang, identity, representation.chosen));
}

function finish(status: number, contentType: string, body: string): RenderedAnswer {
  return {
    status,
    contentType,
    body,
    gzip: Buffer.byteLength(body) >= GZIP_MIN_BYTES ? gzipSync(body) : null,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
}

function send(req: Request, res: Response, answer: RenderedAnswer): void {
  res.status(answer.status);
  res.setHeader('Content-Type', answer.contentType);
  // res.send answers 304 itself when If-None-Match matches the ETag (each encoding has its own).
  if (answer.gzip && req.acceptsEncodings('gzip') === 'gzip') {
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('ETag', `${answer.etag.slice(0, -1)}-gz"`);
    res.send(answer.gzip);
    return;
  }
  res.setHeader('ETag', answer.etag);
  res.send(answer.body);
}

function corsHeaders(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'Link, Location, ETag');
}

/** A browser asking for a page gets an HTML answer on a miss too; API clients get problem+json. */
function wantsHtmlErrors(req: Request): boolean {
  return req.accepts(['application/problem+json', 'application/json', 'text/html']) === 'text/html';
}

function sendMiss(res: Response, pages: OriginPageRenderer, error: AppError, lang: PageLanguage, self: string): void {
  const miss: ResolverMiss =
    error instanceof UnregisteredItemError
      ? { kind: 'not-registered', item: error.item, productName: lang === 'en' ? (error.product.name.en ?? error.product.name.vi) : error.product.name.vi, productLink: error.productLink }
      : error.status === 400
        ? { kind: 'bad-syntax', rule: String(error.extensions.rule ?? '') }
        : { kind: 'not-found' };
  res.status(error.status).setHeader('Cache-Control', 'no-store');
  res.type('html').send(pages.miss(miss, lang, self));
}

function withQuery(href: string, params: URLSearchParams): string {
  const query = params.toString();
  if (!query) return href;
  const [base = '', fragment] = href.split('#');
  return `${base}${base.includes('?') ? '&' : '?'}${query}${fragment !== undefined ? `#${fragment}` : ''}`;
}
