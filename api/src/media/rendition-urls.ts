/**
 * Where a photo rendition is served. Apart from media-pipeline (which loads sharp), so the pages
 * and routes that only link to renditions do not load the image decoder.
 */

/** Public URL of a rendition: named by its content hash, so it can be cached forever. */
export const renditionUrl = (publicBaseUrl: string, sha256: string): string => `${publicBaseUrl}/media/${sha256}.webp`;
