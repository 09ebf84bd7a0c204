import type { PageLanguage } from '../resolver/origin-page-renderer.js';

/** A published demo lot as the landing page links to it. */
export interface LandingLot {
  product: string;
  lotNumber: string;
  /** Same-origin path of the lot's page (its Digital Link). */
  path: string;
  /** Same-origin path of the lot's QR code (SVG). */
  qrPath: string;
}

/** What the landing page shows: fixed addresses, and the demo lots when the demo data is on. */
export interface LandingView {
  /** The service's public base URL, for the page's canonical link. */
  publicBaseUrl: string;
  consolePath: string;
  officePath: string;
  openApiPath: string;
  /** The documentation pages served under /docs/, by file name. */
  docs: readonly string[];
  /** The published demo lots found in the store: none when the demo seed is off, and then the page has no demo section. */
  demoLots: LandingLot[];
}

/**
 * How the landing page (`/`) is drawn. The landing module declares it and the composition root
 * hands it the page from web/landing, as the resolver gets its origin pages.
 */
export interface LandingPageRenderer {
  /** `?lang=` wins, then Accept-Language, then Vietnamese. */
  language(queryLang: unknown, acceptLanguage: string | undefined): PageLanguage;
  /** `chosen`: the language was asked for with `?lang=` (its page is then its own canonical). */
  page(view: LandingView, lang: PageLanguage, chosen: boolean): string;
}
