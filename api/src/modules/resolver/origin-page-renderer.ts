import type { ShareCard } from '../../media/share-card.js';
import type { LotOrigin, Resolution } from './service.js';

/** The languages public pages are written in (the resolver description lists the same). */
export type PageLanguage = 'vi' | 'en';

/** What a scan that leads nowhere tells the person who scanned it. */
export type ResolverMiss =
  | { kind: 'not-registered'; item: { lot?: string | undefined; serial?: string | undefined }; productName: string; productLink: string }
  | { kind: 'not-found' }
  | { kind: 'bad-syntax'; rule: string };

/**
 * How the resolver turns what it found into the HTML a person sees. The resolver declares it and
 * the composition root hands it the public pages (web/origin-page), so the resolver knows no
 * page code and the pages know the resolver only by its types.
 */
export interface OriginPageRenderer {
  /** The page language: an explicit `?lang=` wins, then Accept-Language, then Vietnamese. */
  language(queryLang: unknown, acceptLanguage: string | undefined): PageLanguage;
  /**
   * A found item's page; `self` is its canonical path, for the language switch. `chosen`: the
   * language came from `?lang=`; without it the answer is the Digital Link's own, whatever
   * language Accept-Language picked, and names that URL as its canonical.
   */
  page(resolution: Resolution, lang: PageLanguage, self: string, chosen: boolean): string;
  /** The page for a miss: not registered (maybe counterfeit), not found, or not a valid code. */
  miss(miss: ResolverMiss, lang: PageLanguage, self: string): string;
  /** What a lot's share image (og:image) shows in `lang`: the page names the image by it, the resolver draws it. */
  shareCard(lot: LotOrigin, lang: PageLanguage): ShareCard;
}
