import sharp from 'sharp';
import { ValidationError } from '../core/errors.js';
import { photoDimensions, sha256Hex, sniffMediaType, unsupportedMediaType } from './media-pipeline.js';

/**
 * An organization's logo as QR codes draw it: a square PNG of LOGO_SIDE_PX pixels, the image
 * fitted inside on a transparent background (never cropped: a cut-off logo looks like a
 * misprint), upright, with no metadata. Storing this rendition rather than the upload keeps
 * every code's rendering fast and the same everywhere.
 */
export const LOGO_SIDE_PX = 256;
const LOGO_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);

export interface LogoRendition {
  sha256: string;
  png: Buffer;
}

/** Sniffs by content (PNG, JPEG or WebP only, else 415), applies the pixel limit (413), and renders the square PNG. */
export async function renderLogo(bytes: Uint8Array, path: string, maxPixels: number): Promise<LogoRendition> {
  const mediaType = await sniffMediaType(bytes, path);
  if (!LOGO_TYPES.has(mediaType)) throw unsupportedMediaType(path, mediaType, 'a logo must be a PNG, JPEG or WebP image');
  await photoDimensions(bytes, path, maxPixels);
  let png: Buffer;
  try {
    png = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'truncated' })
      .rotate()
      .resize(LOGO_SIDE_PX, LOGO_SIDE_PX, { fit: 'contain', background: { r: 255, g: 255, b: 255, alpha: 0 } })
      .png({ compressionLevel: 9 })
      .toBuffer();
  } catch {
    throw ValidationError.field(path, 'image-undecodable', 'the image cannot be decoded (corrupt or truncated)');
  }
  return { sha256: sha256Hex(png), png };
}
