import type { OriginPageRenderer } from '../../api/src/modules/resolver/origin-page-renderer.js';
import { renderResolverMiss } from './error-page.js';
import { renderLocationPage } from './location-page.js';
import { lotShareCard, renderLotPage } from './lot-page.js';
import { MESSAGES, pickLanguage } from './messages.js';
import { renderPlotPage } from './plot-page.js';
import { renderProductPage } from './product-page.js';

/** The public pages, as the resolver renders them (wired in by app.ts). */
export const originPages: OriginPageRenderer = {
  language: pickLanguage,
  page(resolution, lang, self, chosen) {
    const m = MESSAGES[lang];
    return resolution.kind === 'lot'
      ? renderLotPage(resolution, lang, m, self, chosen)
      : resolution.kind === 'product'
        ? renderProductPage(resolution, lang, m, self, chosen)
        : resolution.kind === 'plot'
          ? renderPlotPage(resolution, lang, m, self, chosen)
          : renderLocationPage(resolution, lang, m, self, chosen);
  },
  miss: (miss, lang, self) => renderResolverMiss(miss, lang, MESSAGES[lang], self),
  shareCard: (lot, lang) => lotShareCard(lot, lang, MESSAGES[lang]),
};
