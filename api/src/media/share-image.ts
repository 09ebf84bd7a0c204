import { createRequire } from 'node:module';
import sharp, { type OverlayOptions } from 'sharp';
import { SHARE_IMAGE, type ShareCard } from './share-card.js';

const require = createRequire(import.meta.url);
/** DejaVu Sans from the dejavu-fonts-ttf package (as the label sheets use): every Vietnamese letter, on any host. */
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const { width: W, height: H } = SHARE_IMAGE;
const PHOTO = H;
const PAD = 48;
const TEXT_WIDTH = W - PHOTO - 2 * PAD;
const INK = '#1c2419';
const MUTED = '#4a5646';
const LEAF = '#2f6b2f';
/** The title gets at most this much height; a long name is set smaller until it fits. */
const TITLE_MAX_HEIGHT = 250;

/** Pango markup escapes, so a product name is drawn as text. */
function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One block of wrapped text as a transparent PNG, at most `maxHeight` high (smaller type until it fits). */
async function textBlock(text: string, options: { size: number; bold?: boolean; colour: string; maxHeight: number; minSize?: number }): Promise<{ png: Buffer; height: number }> {
  for (let size = options.size; ; size -= 2) {
    const { data, info } = await sharp({
      text: {
        text: `<span foreground="${options.colour}">${escapeMarkup(text)}</span>`,
        font: `DejaVu Sans ${options.bold ? 'Bold ' : ''}${size}`,
        fontfile: options.bold ? FONT_BOLD : FONT,
        width: TEXT_WIDTH,
        wrap: 'word',
        rgba: true,
        dpi: 72,
      },
    })
      .png()
      .toBuffer({ resolveWithObject: true });
    if (info.height <= options.maxHeight || size <= (options.minSize ?? 20)) {
      // Still too tall at the smallest size: cut at the box (the alt text carries the whole name).
      const png = info.height <= options.maxHeight ? data : await sharp(data).extract({ left: 0, top: 0, width: info.width, height: options.maxHeight }).png().toBuffer();
      return { png, height: Math.min(info.height, options.maxHeight) };
    }
  }
}

/**
 * The share image of a lot, 1200×630 JPEG: its photo on the left (cropped square), and on the
 * right the label, the product's name, where it comes from, who made it and a footer line. Text
 * is set by Pango in DejaVu Sans loaded from the package's font file (librsvg's SVG <text> would
 * need the font installed in the system's fontconfig, which a slim container image lacks).
 */
export async function renderShareImage(card: ShareCard, photo: Buffer | null): Promise<Buffer> {
  const layers: OverlayOptions[] = [];
  if (photo) {
    layers.push({ input: await sharp(photo).resize(PHOTO, PHOTO, { fit: 'cover' }).toBuffer(), left: 0, top: 0 });
  } else {
    const panel = `<svg xmlns="http://www.w3.org/2000/svg" width="${PHOTO}" height="${PHOTO}"><rect width="100%" height="100%" fill="${LEAF}"/><circle cx="315" cy="315" r="150" fill="#7fb069" fill-opacity="0.55"/></svg>`;
    layers.push({ input: Buffer.from(panel), left: 0, top: 0 });
  }
  const band = `<svg xmlns="http://www.w3.org/2000/svg" width="${W - PHOTO}" height="12"><rect width="100%" height="100%" fill="${LEAF}"/></svg>`;
  layers.push({ input: Buffer.from(band), left: PHOTO, top: 0 });

  let y = PAD + 8;
  const place = async (text: string, options: Parameters<typeof textBlock>[1], gap: number) => {
    if (!text) return;
    const block = await textBlock(text, options);
    layers.push({ input: block.png, left: PHOTO + PAD, top: y });
    y += block.height + gap;
  };
  await place(card.label, { size: 26, bold: true, colour: LEAF, maxHeight: 40 }, 20);
  await place(card.title, { size: 50, bold: true, colour: INK, maxHeight: TITLE_MAX_HEIGHT, minSize: 30 }, 28);
  await place(card.origin, { size: 30, colour: INK, maxHeight: 80 }, 14);
  await place(card.producer, { size: 28, colour: MUTED, maxHeight: Math.max(40, H - y - 110) }, 0);
  const footer = await textBlock(card.footer, { size: 24, bold: true, colour: LEAF, maxHeight: 64 });
  layers.push({ input: footer.png, left: PHOTO + PAD, top: H - PAD - footer.height });

  return sharp({ create: { width: W, height: H, channels: 3, background: '#fbfcf9' } })
    .composite(layers)
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer();
}
