import QRCode from 'qrcode';

/**
 * QR codes of Digital Link URLs. The quiet zone is the standard's 4 modules; codes are cached by
 * content, so printing a thousand labels or a thousand scans renders each code once.
 */
export const QR_ERROR_CORRECTION = ['L', 'M', 'Q', 'H'] as const;
export type QrErrorCorrection = (typeof QR_ERROR_CORRECTION)[number];
export const QR_PNG_WIDTH = { min: 64, max: 2048, default: 512 } as const;
const QUIET_ZONE_MODULES = 4;
const CACHE_ENTRIES = 1000;

const cache = new Map<string, Promise<Buffer | string>>();

function cached<T extends Buffer | string>(key: string, render: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) {
    // Refresh its place: the map's insertion order is the eviction order.
    cache.delete(key);
    cache.set(key, hit);
    return hit as Promise<T>;
  }
  const rendered = render();
  cache.set(key, rendered);
  rendered.catch(() => cache.delete(key));
  if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  return rendered;
}

export function qrSvg(text: string, ecc: QrErrorCorrection): Promise<string> {
  return cached(`svg|${ecc}|${text}`, () => QRCode.toString(text, { type: 'svg', errorCorrectionLevel: ecc, margin: QUIET_ZONE_MODULES }));
}

export function qrPng(text: string, ecc: QrErrorCorrection, width: number): Promise<Buffer> {
  return cached(`png|${ecc}|${width}|${text}`, () => QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: ecc, margin: QUIET_ZONE_MODULES, width }));
}
