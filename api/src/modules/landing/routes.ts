import { Router } from 'express';
import { ValidationError } from '../../core/errors.js';
import type { LandingPageRenderer, LandingView } from './landing-page-renderer.js';
import type { LandingService } from './service.js';

/** `/`: what the service is and where to go from here, in Vietnamese or English. */
export function landingRouter(landing: LandingService, page: LandingPageRenderer, fixed: Omit<LandingView, 'demoLots'>): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { lang } = req.query;
    if (lang !== undefined && typeof lang !== 'string') throw ValidationError.field('lang', 'given-twice', 'give lang once');
    const language = page.language(lang, req.get('accept-language'));
    const html = page.page({ ...fixed, demoLots: await landing.demo() }, language, lang !== undefined);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Vary', 'Accept-Language');
    res.setHeader('Content-Language', language);
    res.type('html').send(html);
  });
  return router;
}
