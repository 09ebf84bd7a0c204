import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../domain/bytes.js';
import { canonicalJson } from '../domain/canonical-json.js';

/**
 * What a published lot's share image (og:image) shows, and where it is served. Apart from the
 * renderer (share-image.ts, which loads sharp), so the pages that only link to the image do not
 * load the image decoder.
 */
export const SHARE_IMAGE = { width: 1200, height: 630, type: 'image/jpeg' } as const;

/** Bumped when the drawing changes, so every lot's image gets a new URL and caches let the old one go. */
const TEMPLATE_VERSION = 1;

export interface ShareCard {
  /** SHA-256 of the public rendition drawn on the left, or null for a plain panel. */
  photo: string | null;
  /** The small line above the title ("Nguồn gốc sản phẩm"). */
  label: string;
  title: string;
  /** Where it comes from: "Đắk Lắk, Việt Nam". */
  origin: string;
  /** Who made it: the cooperative (and the lot's owner when another organization). */
  producer: string;
  /** The line at the foot ("✓ Hồ sơ được ký số, kiểm tra được"). */
  footer: string;
  /** The image's text alternative (og:image:alt). */
  alt: string;
}

/** 16 hex digits of the SHA-256 of the card's content: the image's name, so its URL changes exactly when the image does. */
export function shareCardKey(card: ShareCard): string {
  return toHex(sha256(new TextEncoder().encode(canonicalJson({ v: TEMPLATE_VERSION, ...card })))).slice(0, 16);
}

/** `/media/share/{lot code}-{lang}-{key}.jpg` */
export const SHARE_IMAGE_FILE = /^([0-9A-Z]{10})-(vi|en)-([0-9a-f]{16})\.jpg$/;

export function shareImageUrl(publicBaseUrl: string, lotCode: string, lang: string, card: ShareCard): string {
  return `${publicBaseUrl}/media/share/${lotCode}-${lang}-${shareCardKey(card)}.jpg`;
}
