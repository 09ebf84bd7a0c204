/**
 * Offline verification of a provenance bundle: the one verifier of the server (POST /api/v1/verify),
 * the command line (`npm run verify`) and the browser (`/assets/verify-bundle.js`, bundled from
 * this module). It runs unchanged in Node and in the browser: everything it imports is pure or
 * uses only Web APIs (see crypto.ts).
 */
import { checkShape, type ProvenanceBundle, type PublishedKey } from './bundle-format.js';
import { chooseCrypto } from './crypto.js';
import { checkMedia, checkPrev, checkSignedEvents } from './event-checks.js';
import { checkLog } from './log-checks.js';
import { checkLotHistory } from './lot-history-checks.js';
import type { VerificationReport } from './report.js';

export interface VerifyOptions {
  /** 'auto' uses WebCrypto where it has Ed25519 and SHA-256, noble otherwise. */
  engine?: 'auto' | 'webcrypto' | 'noble';
  /** Keys to trust instead of the bundle's own (e.g. a JWKS fetched independently). */
  trustedKeys?: PublishedKey[];
  /** The log's verifier key to trust instead of the bundle's own (e.g. one a monitor pinned). */
  trustedLogKey?: string;
  /** When given, every signed photo rendition is fetched with it and its bytes checked against its hash. */
  fetchMedia?: (url: string) => Promise<Uint8Array>;
}

/**
 * Verifies every event of a bundle: its hash over the canonical payload, its Ed25519 signature
 * by a key of the organization it names and valid at its record time, that every `prev` it
 * names is present, that it belongs to the lot's ancestry, and that the graph has no cycle.
 */
export async function verifyBundle(input: unknown, options: VerifyOptions = {}): Promise<VerificationReport> {
  const crypto = await chooseCrypto(options.engine ?? 'auto');
  const shapeErrors = checkShape(input);
  if (shapeErrors.length) return { valid: false, lot: null, engine: crypto.name, mediaChecked: 0, errors: shapeErrors, checkpoint: null, events: [] };
  const bundle = input as ProvenanceBundle;
  const keys = new Map((options.trustedKeys ?? bundle.keys).map((k) => [k.kid, k]));
  const errors: string[] = [];

  const { reports, parsed } = await checkSignedEvents(bundle.events, keys, crypto);
  checkPrev(reports, parsed);
  const reachable = checkLotHistory(bundle, reports, parsed, errors);
  const mediaChecked = options.fetchMedia ? await checkMedia(bundle, reports, parsed, crypto, options.fetchMedia) : 0;
  const checkpoint = await checkLog(bundle, reports, crypto, options.trustedLogKey, errors);

  for (const report of reports) {
    if (!reachable.has(report.hash)) report.failures.push({ check: 'ancestry', message: 'the event is not part of this lot’s history (not reachable from its heads)' });
    report.valid = report.failures.length === 0;
  }
  if (new Set(reports.map((r) => r.hash)).size !== reports.length) errors.push('an event is listed twice');
  return { valid: errors.length === 0 && reports.every((r) => r.valid), lot: bundle.lot, engine: crypto.name, mediaChecked, errors, checkpoint, events: reports };
}

/** A readable multi-line account of a report, naming each failed event and check. */
export function describeReport(report: VerificationReport): string {
  const lines: string[] = [];
  // Only the identifier is covered by signatures; the product name is the bundle's own label.
  const lot = report.lot ? `lot ${report.lot.uri} ("${report.lot.product}", unsigned label)` : 'the bundle';
  const failed = report.events.filter((e) => !e.valid);
  const photos = report.mediaChecked ? `, ${report.mediaChecked} photos matched` : '';
  lines.push(
    report.valid
      ? `VALID: ${lot}: ${report.events.length} events verified${photos}, all in log ${report.checkpoint?.origin} at tree size ${report.checkpoint?.treeSize} (${report.engine})`
      : `INVALID: ${lot}: ${failed.length} of ${report.events.length} events failed`,
  );
  for (const error of report.errors) lines.push(`  bundle: ${error}`);
  for (const e of failed) {
    lines.push(`  event ${e.eventID ?? e.hash} (${e.stepType ?? e.type ?? 'unknown'}, ${e.eventTime ?? 'no time'})`);
    for (const f of e.failures) lines.push(`    ${f.check}: ${f.message}`);
  }
  return lines.join('\n');
}
