import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs');

/** The documentation pages (docs/*.md, not the decision records below them), by file name. */
export const DOC_PAGES: readonly string[] = readdirSync(DOCS).filter((name) => /^[A-Za-z0-9-]+\.md$/.test(name));

/**
 * `/docs/{name}.md`: the project's documentation as plain text, so the landing page can link to
 * it from a running service. Only the files listed at start are served; anything else falls
 * through to the 404 problem.
 */
export function docsRouter(): Router {
  const router = Router();
  router.get('/docs/:name', (req, res, next) => {
    const name = req.params.name;
    if (!DOC_PAGES.includes(name)) return next();
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('Content-Language', 'en');
    res.type('text/plain; charset=utf-8').sendFile(path.join(DOCS, name));
  });
  return router;
}
