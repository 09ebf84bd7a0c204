import { TtlCache } from '../../core/ttl-cache.js';
import type { ShareCard } from '../../media/share-card.js';
import { renderShareImage } from '../../media/share-image.js';

/** About 60–120 KB an image: a few hundred lots' images in both languages stay in memory. */
const MAX_IMAGES = 400;

/**
 * Share images, drawn on demand and kept in memory by their content key. Their URL names that
 * key (see share-card.ts), so an image never changes under its URL: browsers, crawlers and CDNs
 * keep it for a year, and a process draws a lot's image once per language (about 100 ms).
 * Nothing is written to the blob store, whose names are the hashes of the bytes they hold.
 */
export class ShareImages {
  private readonly drawn = new TtlCache<Promise<Buffer>>({ ttlMs: Infinity, maxEntries: MAX_IMAGES });

  /** `rendition` reads a public photo rendition by its SHA-256. */
  constructor(private readonly rendition: (sha256: string) => Promise<Buffer | null>) {}

  image(card: ShareCard, key: string): Promise<Buffer> {
    return this.drawn.shared(key, async () => renderShareImage(card, card.photo ? await this.rendition(card.photo) : null));
  }
}
