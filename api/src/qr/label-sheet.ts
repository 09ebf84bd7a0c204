import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import PDFDocument from 'pdfkit';

/**
 * A printable A4 sheet of lot labels: the common 24-up layout (3 columns × 8 rows of
 * 63.5 × 33.9 mm labels, 2.5 mm between columns, none between rows; 7.25 mm side and 12.9 mm
 * top margins, as on Avery L7159-size sheets). Each label carries the lot's QR code on the left
 * (its 4-module quiet zone doubles as the label's margin) and, on the right, the product name,
 * the lot number, the GTIN if any, and a bilingual line telling buyers what the code is for.
 * Text is set in DejaVu Sans, embedded (subset) from the dejavu-fonts-ttf package, because
 * PDF's built-in fonts have no Vietnamese letters (ư, ơ, ạ, ế…).
 */
const MM = 72 / 25.4;
export const LABEL_GRID = { columns: 3, rows: 8, widthMm: 63.5, heightMm: 33.9, columnGapMm: 2.5, leftMm: 7.25, topMm: 12.9 } as const;
export const LABELS_PER_PAGE = LABEL_GRID.columns * LABEL_GRID.rows;
export const SCAN_LINE = 'Quét để xem nguồn gốc · Scan to see the origin';

/** Edge of the QR image from the label's edge, and of the text from the label's edges (die-cut tolerance). */
const QR_INSET_MM = 1;
const TEXT_PAD_MM = 2.5;
const TEXT_GAP_MM = 0.5;

export interface LabelContent {
  productName: string;
  lotNumber: string;
  gtin: string | null;
  /** The code as a PNG; it is embedded once and drawn on every label. */
  qrPng: Buffer;
}

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | null = null;

/** The TTFs are read once; pdfkit subsets them into each document. */
function labelFonts(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return fonts;
}

/** Streams a sheet of `count` identical labels into `out` (which it leaves open); resolves once every byte is written. */
export async function writeLabelSheet(out: NodeJS.WritableStream, label: LabelContent, count: number): Promise<void> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    lang: 'vi',
    info: { Title: `Nhãn QR · QR labels · ${label.lotNumber}`, Creator: 'farm-trace' },
  });
  const { regular, bold } = labelFonts();
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  // pdfkit keeps images opened from a string (here a data: URL) in a registry, so the code is embedded once, not per label.
  const qr = `data:image/png;base64,${label.qrPng.toString('base64')}`;
  // Started before drawing: the client receives pages as they are finished, and a client that goes away stops the document.
  const written = pipeline(doc, out, { end: false });
  for (let i = 0; i < count; i++) {
    if (i % LABELS_PER_PAGE === 0) doc.addPage();
    const slot = i % LABELS_PER_PAGE;
    const column = slot % LABEL_GRID.columns;
    const row = Math.floor(slot / LABEL_GRID.columns);
    drawLabel(doc, label, qr, (LABEL_GRID.leftMm + column * (LABEL_GRID.widthMm + LABEL_GRID.columnGapMm)) * MM, (LABEL_GRID.topMm + row * LABEL_GRID.heightMm) * MM);
  }
  doc.end();
  await written;
}

function drawLabel(doc: PDFKit.PDFDocument, label: LabelContent, qr: string, x: number, y: number): void {
  const height = LABEL_GRID.heightMm * MM;
  const qrSide = height - 2 * QR_INSET_MM * MM;
  doc.image(qr, x + QR_INSET_MM * MM, y + QR_INSET_MM * MM, { width: qrSide, height: qrSide });

  const textX = x + QR_INSET_MM * MM + qrSide + TEXT_GAP_MM * MM;
  const width = x + LABEL_GRID.widthMm * MM - TEXT_PAD_MM * MM - textX;
  const top = y + TEXT_PAD_MM * MM;
  const bottom = y + height - TEXT_PAD_MM * MM;

  doc.font('bold').fontSize(7.5);
  // At most three lines of name; a longer one ends in an ellipsis rather than running into the lot number.
  doc.text(keepQuantitiesTogether(label.productName), textX, top, { width, height: doc.currentLineHeight(true) * 3, ellipsis: true, lineGap: 0 });
  let cursor = doc.y + 1.5;
  for (const line of [`Lô / Lot: ${label.lotNumber}`, ...(label.gtin ? [`GTIN: ${label.gtin}`] : [])]) {
    doc.font('regular').fontSize(fittedSize(doc, line, width, 6.5, 4.5));
    doc.text(line, textX, cursor, { width, lineBreak: false });
    cursor += doc.currentLineHeight(true) + 0.5;
  }

  doc.font('regular').fontSize(6);
  const scanHeight = doc.heightOfString(SCAN_LINE, { width });
  doc.fillColor('#333333').text(SCAN_LINE, textX, Math.max(cursor, bottom - scanHeight), { width }).fillColor('#000000');
}

/** "500 g" must not break between the number and its unit: a label reading "500" then "g" looks like a misprint. */
const keepQuantitiesTogether = (name: string): string => name.replace(/(\d) (?=(?:mg|g|kg|ml|l|L)\b)/g, '$1\u00a0');

/** The largest size from `max` down to `min` (half points) at which `text` fits `width` on one line, with the current font. */
function fittedSize(doc: PDFKit.PDFDocument, text: string, width: number, max: number, min: number): number {
  let size = max;
  while (size > min && doc.fontSize(size).widthOfString(text) > width) size -= 0.5;
  return size;
}
