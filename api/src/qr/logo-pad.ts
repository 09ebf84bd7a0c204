import type { QRCode as QrSymbol } from 'qrcode';

/**
 * Where a logo may cover a QR code. The white pad under a logo destroys every codeword it
 * touches, and a code decodes only while each Reed-Solomon block has at most half its error
 * codewords wrong. An area rule alone ("≤ 20% at level H") is not enough: depending on the
 * version, the codewords under a centred square fall unevenly on the blocks, and a 11% pad can
 * already break a version-13 code. So the pad is the largest centred square of whole modules that
 * (a) covers at most MAX_PAD_SHARE of the symbol (quiet zone excluded) and (b) touches at most
 * ERROR_BUDGET of any block's correctable codewords, keeping the rest for wear, glare and print
 * defects. Symbols with a logo are always encoded at level H.
 */
export const MAX_PAD_SHARE = 0.2;
export const ERROR_BUDGET = 0.75;
/** Pads never shrink below this (a 3-module logo); every version 1–40 at H fits one within the budget. */
const MIN_PAD_MODULES = 5;

/** Level H per version (index = version - 1), from ISO/IEC 18004 table 9: error-correction blocks and EC codewords per block. */
const H_BLOCKS = [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81];
const H_EC_PER_BLOCK = [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30];

/** The pad in module units from the symbol's top-left corner (quiet zone excluded). */
export interface LogoPad {
  start: number;
  size: number;
}

/** The pad for a symbol encoded at level H (see above). */
export function logoPad(symbol: QrSymbol): LogoPad {
  const modules = symbol.modules.size;
  const codewordAt = codewordMap(symbol.modules);
  const blockOf = blockMapH(symbol.version, codewordAt.total);
  const allowed = Math.floor(Math.floor((H_EC_PER_BLOCK[symbol.version - 1] ?? 0) / 2) * ERROR_BUDGET);
  let size = Math.floor(modules * Math.sqrt(MAX_PAD_SHARE));
  // Same parity as the symbol, so the pad is exactly centred on the module grid.
  if ((modules - size) % 2 !== 0) size -= 1;
  for (; size > MIN_PAD_MODULES; size -= 2) {
    const start = (modules - size) / 2;
    const perBlock = new Map<number, number>();
    const touched = new Set<number>();
    for (let row = start; row < start + size; row++) {
      for (let col = start; col < start + size; col++) {
        const codeword = codewordAt.index[row * modules + col] ?? -1;
        if (codeword < 0 || touched.has(codeword)) continue;
        touched.add(codeword);
        const block = blockOf[codeword];
        if (block !== undefined) perBlock.set(block, (perBlock.get(block) ?? 0) + 1);
      }
    }
    if (Math.max(0, ...perBlock.values()) <= allowed) return { start, size };
  }
  return { start: (modules - size) / 2, size };
}

/**
 * The codeword each data module carries (-1 for function patterns and remainder bits), following
 * the standard's placement: two-module columns from the right, up and down in turn, skipping the
 * vertical timing pattern and every reserved module.
 */
function codewordMap(matrix: QrSymbol['modules']): { index: Int32Array; total: number } {
  const size = matrix.size;
  const index = new Int32Array(size * size).fill(-1);
  let bit = 0;
  let row = size - 1;
  let step = -1;
  for (let col = size - 1; col > 0; col -= 2) {
    if (col === 6) col--;
    for (;;) {
      for (const c of [col, col - 1]) {
        if (matrix.isReserved(row, c)) continue;
        index[row * size + c] = bit >> 3;
        bit++;
      }
      row += step;
      if (row < 0 || row >= size) {
        row -= step;
        step = -step;
        break;
      }
    }
  }
  const total = bit >> 3;
  // The last few bits are remainder bits, part of no codeword.
  for (let i = 0; i < index.length; i++) if ((index[i] ?? -1) >= total) index[i] = -1;
  return { index, total };
}

/** The block of each codeword in transmission order: data codewords interleaved block by block (short blocks first), then EC codewords. */
function blockMapH(version: number, total: number): number[] {
  const blocks = H_BLOCKS[version - 1] ?? 1;
  const ec = H_EC_PER_BLOCK[version - 1] ?? 0;
  const data = total - ec * blocks;
  const shortLength = Math.floor(data / blocks);
  const shortBlocks = blocks - (data % blocks);
  const blockOf: number[] = [];
  for (let i = 0; i <= shortLength; i++) for (let b = 0; b < blocks; b++) if (i < shortLength || b >= shortBlocks) blockOf.push(b);
  for (let i = 0; i < ec; i++) for (let b = 0; b < blocks; b++) blockOf.push(b);
  return blockOf;
}
