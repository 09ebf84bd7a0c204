import { Router, type Request, type Response } from 'express';
import { AppError, problemType } from '../../core/errors.js';
import { DIGITAL_LINK_PRIMARY_KEYS, parseDigitalLink } from '../../domain/digital-link-syntax.js';
import { renderResolverMiss, type ResolverMiss } from '../../../../web/origin-page/error-page.js';
import { renderLocationPage } from '../../../../web/origin-page/location-page.js';
import { renderLotPage } from '../../../../web/origin-page/lot-page.js';
import { MESSAGES, pickLanguage, type Lang } from '../../../../web/origin-page/messages.js';
import { renderProductPage } from '../../../../web/origin-page/product-page.js';
import type { ScanService } from '../scans/service.js';
import { RenderedAnswers, type RenderedAnswer } from './rendered-answers.js';
import { GS1_VOC, UnregisteredItemError, type Resolution, type ResolverService } from './service.js';

const LINKSET = 'application/linkset+json';
const GS1_PREFIX = 'gs1:';
/** Pages reflect a change within this long; browsers and caches may keep them a minute (max-age). */
const ANSWER_TTL_MS = 10_000;
const ANSWER_CACHE_ENTRIES = 5_000;
const CACHE_CONTROL = 'public, max-age=60';

type Representation = { kind: 'html'; lang: Lang } | { kind: 'linkset' } | { kind: 'redirect'; linkType: string };

/**
 * The GS1 Digital Link resolver: `/01/{gtin14}[/10/{lot}][/21/{serial}]`, `/414/{gln}` (and any
 * other well-formed key, which answers 404 until something is registered there), `/l/{code}`
 * and `/.well-known/gs1resolver`. HTML by default (Vietnamese, or English by Accept-Language or
 * `?lang=en`); RFC 9264 linkset for `?linkType=linkset|all` or `Accept: application/linkset+json`;
 * `?linkType=gs1:…` → 307 to that link with the rest of the query passed through. Public and
 * CORS-open, as the GS1 resolver standard asks.
 */
export function resolverRouter(resolver: ResolverService, scans: ScanService): Router {
  const router = Router();
  const answers = new RenderedAnswers(ANSWER_TTL_MS, ANSWER_CACHE_ENTRIES);
  const keyPattern = new RegExp(`^/(?:[^?]*/)?(?:${DIGITAL_LINK_PRIMARY_KEYS.join('|')})/`);

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

  router.get('/l/:code', async (req, res) => {
    await answer(req, res, () => {
      if (!/^[0-9A-Z]{10}$/.test(String(req.params.code))) throw new AppError({ status: 404, type: problemType('not-found'), title: 'Not found', detail: 'No lot has this code.' });
      return resolver.byCode(String(req.params.code));
    });
  });

  router.get(keyPattern, async (req, res) => {
    await answer(req, res, () => {
      const parsed = parseDigitalLink(req.originalUrl);
      if (!parsed.ok) {
        throw new AppError({
          status: 400,
          type: problemType('digital-link-syntax'),
          title: 'Not a valid GS1 Digital Link',
          detail: parsed.error.message,
          errors: [{ path: parsed.error.segment ?? req.path, message: `${parsed.error.rule}: ${parsed.error.message}` }],
          extensions: { rule: parsed.error.rule },
        });
      }
      return resolver.byDigitalLink(parsed.value);
    });
  });

  async function answer(req: Request, res: Response, resolve: () => Promise<Resolution>): Promise<void> {
    corsHeaders(res);
    res.setHeader('Vary', 'Accept, Accept-Language, Accept-Encoding');
    const representation = representationOf(req);
    const key = `${representation.kind === 'html' ? `html:${representation.lang}` : representation.kind}|${req.originalUrl}`;
    let rendered = answers.get(key);
    if (!rendered) {
      let resolution: Resolution;
      try {
        resolution = await resolve();
      } catch (error) {
        if (error instanceof AppError && representation.kind === 'html' && wantsHtmlErrors(req)) return sendMiss(req, res, error, representation.lang);
        throw error;
      }
      rendered = answers.put(key, build(req, resolution, representation));
    }
    if (rendered.batchId && req.method === 'GET') scans.record(rendered.batchId, req.get('user-agent'));
    send(req, res, rendered);
  }
  return router;
}

function representationOf(req: Request): Representation {
  const linkType = typeof req.query.linkType === 'string' ? req.query.linkType : undefined;
  if (linkType === 'linkset' || linkType === 'all') return { kind: 'linkset' };
  if (linkType) return { kind: 'redirect', linkType };
  if (req.accepts(['text/html', LINKSET]) === LINKSET) return { kind: 'linkset' };
  return { kind: 'html', lang: pickLanguage(req.query.lang, req.get('accept-language')) };
}

function build(req: Request, resolution: Resolution, representation: Representation): Omit<RenderedAnswer, 'etag' | 'gzip'> {
  const batchId = resolution.kind === 'lot' ? resolution.batch.id : null;
  const anchor = resolution.links[`${GS1_VOC}pip`]![0]!.href;
  if (representation.kind === 'linkset') {
    return { status: 200, contentType: LINKSET, body: JSON.stringify({ linkset: [{ anchor, ...resolution.links }] }), location: null, batchId };
  }
  if (representation.kind === 'redirect') {
    const { linkType } = representation;
    const relation = linkType.startsWith(GS1_PREFIX) ? `${GS1_VOC}${linkType.slice(GS1_PREFIX.length)}` : linkType;
    const target = resolution.links[relation]?.[0];
    if (!target) throw new AppError({ status: 404, type: problemType('not-found'), title: 'Not found', detail: `This item has no ${linkType} link.`, errors: [{ path: 'linkType', message: `no ${linkType} link` }] });
    return { status: 307, contentType: null, body: '', location: withQuery(target.href, passThroughQuery(req)), batchId };
  }
  const { lang } = representation;
  const m = MESSAGES[lang];
  const self = selfUrl(req);
  const html =
    resolution.kind === 'lot'
      ? renderLotPage(resolution, lang, m, self)
      : resolution.kind === 'product'
        ? renderProductPage(resolution, lang, m, self)
        : renderLocationPage(resolution, lang, m, self);
  return { status: 200, contentType: 'text/html; charset=utf-8', body: html, location: null, batchId };
}

function send(req: Request, res: Response, answer: RenderedAnswer): void {
  res.status(answer.status);
  res.setHeader('Cache-Control', CACHE_CONTROL);
  if (answer.location) {
    res.setHeader('ETag', answer.etag);
    res.setHeader('Location', answer.location);
    res.end();
    return;
  }
  res.setHeader('Content-Type', answer.contentType!);
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

function sendMiss(req: Request, res: Response, error: AppError, lang: Lang): void {
  const m = MESSAGES[lang];
  const miss: ResolverMiss =
    error instanceof UnregisteredItemError
      ? { kind: 'not-registered', item: error.item, productName: lang === 'en' ? (error.product.name.en ?? error.product.name.vi) : error.product.name.vi, productLink: error.productLink }
      : error.status === 400
        ? { kind: 'bad-syntax', rule: String(error.extensions.rule ?? ''), message: error.message }
        : { kind: 'not-found' };
  res.status(error.status).setHeader('Cache-Control', 'no-store');
  res.type('html').send(renderResolverMiss(miss, lang, m, selfUrl(req)));
}

/** The request's query without the resolver's own parameters: what a 307 passes on to its target. */
function passThroughQuery(req: Request): URLSearchParams {
  const params = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
  params.delete('linkType');
  params.delete('lang');
  return params;
}

function withQuery(href: string, params: URLSearchParams): string {
  const query = params.toString();
  if (!query) return href;
  const [base = '', fragment] = href.split('#');
  return `${base}${base.includes('?') ? '&' : '?'}${query}${fragment !== undefined ? `#${fragment}` : ''}`;
}

function selfUrl(req: Request): string {
  const params = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
  params.delete('lang');
  const query = params.toString();
  return `${req.path}${query ? `?${query}` : ''}`;
}
