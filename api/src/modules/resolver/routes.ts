import { Router, type Request, type Response } from 'express';
import { AppError, problemType } from '../../core/errors.js';
import { DIGITAL_LINK_PRIMARY_KEYS, parseDigitalLink } from '../../domain/digital-link-syntax.js';
import type { ResolvedLot, ResolverService } from './service.js';

const LINKSET = 'application/linkset+json';
const GS1_PREFIX = 'gs1:';
const GS1_VOC = 'https://gs1.org/voc/';

/**
 * The GS1 Digital Link resolver: `/01/{gtin14}/10/{lot}` (and any other well-formed key, which
 * answers 404 until something is registered there) and `/l/{code}`. HTML by default; RFC 9264
 * linkset for `?linkType=linkset` or `Accept: application/linkset+json`; `?linkType=gs1:…` → 307.
 */
export function resolverRouter(resolver: ResolverService): Router {
  const router = Router();
  const keyPattern = new RegExp(`^/(?:[^?]*/)?(?:${DIGITAL_LINK_PRIMARY_KEYS.join('|')})/`);

  router.get('/l/:code', async (req, res) => {
    if (!/^[0-9A-Z]{10}$/.test(req.params.code)) throw new AppError({ status: 404, type: problemType('not-found'), title: 'Not found', detail: 'No lot has this code.' });
    answer(req, res, await resolver.byCode(req.params.code));
  });

  router.get(keyPattern, async (req, res) => {
    const parsed = parseDigitalLink(req.originalUrl);
    if (!parsed.ok) {
      throw new AppError({
        status: 400,
        type: problemType('digital-link-syntax'),
        title: 'Not a valid GS1 Digital Link',
        detail: parsed.error.message,
        errors: [{ path: parsed.error.segment ?? req.path, message: `${parsed.error.rule}: ${parsed.error.message}` }],
      });
    }
    answer(req, res, await resolver.byDigitalLink(parsed.value));
  });
  return router;
}

function answer(req: Request, res: Response, lot: ResolvedLot): void {
  const linkType = typeof req.query.linkType === 'string' ? req.query.linkType : undefined;
  res.setHeader('Vary', 'Accept');
  res.setHeader('Cache-Control', 'public, max-age=60');
  if (linkType && linkType !== 'linkset' && linkType !== 'all') {
    const relation = linkType.startsWith(GS1_PREFIX) ? `${GS1_VOC}${linkType.slice(GS1_PREFIX.length)}` : linkType;
    const target = lot.links[relation]?.[0];
    if (!target) throw new AppError({ status: 404, type: problemType('not-found'), title: 'Not found', detail: `This item has no ${linkType} link.` });
    res.redirect(307, target.href);
    return;
  }
  const anchor = lot.links[`${GS1_VOC}pip`]![0]!.href;
  if (linkType === 'linkset' || linkType === 'all' || req.accepts(['text/html', LINKSET]) === LINKSET) {
    res.type(LINKSET).send(JSON.stringify({ linkset: [{ anchor, ...lot.links }] }));
    return;
  }
  res.type('html').send(summaryPage(lot));
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A plain server-rendered summary until the full origin page exists; every value is escaped. */
function summaryPage(lot: ResolvedLot): string {
  const { batch, owner } = lot;
  const name = escapeHtml(lot.product?.name.vi ?? batch.product);
  const steps = lot.events
    .map((e) => `<li>${escapeHtml(e.stepType ?? e.type)} — ${escapeHtml(e.eventTime)}${typeof e.body['ft:placeName'] === 'string' ? ` — ${escapeHtml(e.body['ft:placeName'])}` : ''}</li>`)
    .join('');
  const links = Object.values(lot.links)
    .flat()
    .map((l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.title)}</a></li>`)
    .join('');
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${name}</title></head>
<body><main><h1>${name}</h1><p>Lô / lot ${escapeHtml(batch.lotNumber)}${batch.gtin ? ` · GTIN ${escapeHtml(batch.gtin)}` : ''}</p>
<p>${escapeHtml(owner?.name ?? '')}${owner ? `, ${escapeHtml([owner.address.commune, owner.address.province].filter(Boolean).join(', '))}` : ''}</p>
<h2>Các bước / steps</h2><ol>${steps}</ol><h2>Liên kết / links</h2><ul>${links}</ul></main></body></html>`;
}
