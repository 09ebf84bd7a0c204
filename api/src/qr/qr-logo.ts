import type { QRCode as QrSymbol } from 'qrcode';
import sharp from 'sharp';
import { logoPad } from './logo-pad.js';

/**
 * Drawing a logo in the centre of a QR code symbol encoded at level H: a white pad of whole
 * modules (sized by logo-pad.ts so the code still decodes) with the logo inside it.
 */

/** One module of white between the pad's edge and the logo, so the logo does not touch dark modules. */
const LOGO_INSET_MODULES = 1;

/** Draws the logo over a rendered PNG of `symbol` with a quiet zone of `quietZone` modules. */
export async function overlayLogoPng(code: Buffer, symbol: QrSymbol, quietZone: number, logoPng: Buffer): Promise<Buffer> {
  const { width } = await sharp(code).metadata();
  if (!width) throw new Error('the rendered code has no width');
  const modulePx = width / (symbol.modules.size + 2 * quietZone);
  const pad = logoPad(symbol);
  const left = Math.round((quietZone + pad.start) * modulePx);
  const padPx = Math.round((quietZone + pad.start + pad.size) * modulePx) - left;
  const inset = Math.round(LOGO_INSET_MODULES * modulePx);
  const logoPx = Math.max(1, padPx - 2 * inset);
  const logo = await sharp(logoPng).resize(logoPx, logoPx, { fit: 'contain', background: { r: 255, g: 255, b: 255, alpha: 0 } }).png().toBuffer();
  return sharp(code)
    .composite([
      { input: { create: { width: padPx, height: padPx, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } } }, left, top: left },
      { input: logo, left: left + inset, top: left + inset },
    ])
    .png()
    .toBuffer();
}

/**
 * Draws the logo into an SVG of `symbol` whose user units are modules (as the qrcode package writes
 * it). The logo is embedded as a data: PNG so the file stands alone for print shops; it is
 * referenced with xlink:href, which SVG 1.1 tools (older design and print software) read and
 * SVG 2 browsers still accept.
 */
export function overlayLogoSvg(code: string, symbol: QrSymbol, quietZone: number, logoPng: Buffer): string {
  const pad = logoPad(symbol);
  const at = quietZone + pad.start;
  const logoAt = at + LOGO_INSET_MODULES;
  const logoSize = pad.size - 2 * LOGO_INSET_MODULES;
  const overlay =
    `<rect x="${at}" y="${at}" width="${pad.size}" height="${pad.size}" fill="#ffffff"/>` +
    `<image xmlns:xlink="http://www.w3.org/1999/xlink" x="${logoAt}" y="${logoAt}" width="${logoSize}" height="${logoSize}" ` +
    `preserveAspectRatio="xMidYMid meet" xlink:href="data:image/png;base64,${logoPng.toString('base64')}"/>`;
  const end = code.lastIndexOf('</svg>');
  if (end < 0) throw new Error('the rendered code is not an SVG document');
  return `${code.slice(0, end)}${overlay}${code.slice(end)}`;
}
