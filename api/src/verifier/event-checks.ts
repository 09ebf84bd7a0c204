import { canonicalJson } from '../domain/canonical-json.js';
import { base64UrlDecode, toHex } from '../domain/bytes.js';
import { eventIdOf } from '../domain/event-model.js';
import { isRecord, type ProvenanceBundle, type PublishedKey } from './bundle-format.js';
import { ed25519Thumbprint, type CryptoEngine } from './crypto.js';
import type { CheckName, EventReport } from './report.js';

/** Signature checks in flight at once: WebCrypto verifies on the thread pool, so they overlap. */
const CONCURRENT_SIGNATURE_CHECKS = 256;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The bundle's events as signed, by hash: under the hash their payload has, and the one listed if it differs. */
export type ParsedEvents = Map<string, Record<string, unknown>>;

/**
 * An eventID in the CBV 2.0 hash form must be the hash of the event's content: the ID names what
 * the event says. IDs of other forms, and IDs a captured event arrived with (kept as the sender
 * gave them, `ft:captured.eventIdGiven`), are not checked.
 */
function checkEventId(event: Record<string, unknown>, fail: (check: CheckName, message: string) => void): void {
  const id = event.eventID;
  if (typeof id !== 'string' || !id.startsWith('ni:///sha-256;')) return;
  const captured = event['ft:captured'];
  if (isRecord(captured) && captured.eventIdGiven === true) return;
  let computed: string;
  try {
    computed = eventIdOf(event);
  } catch (error) {
    fail('eventID', `the event hash ID cannot be computed: ${(error as Error).message}`);
    return;
  }
  if (computed !== id) fail('eventID', `the eventID is not the CBV 2.0 hash of the event's content (${computed})`);
}

/**
 * Each event on its own: a compact JWS whose payload hashes to the listed hash and is in
 * canonical form, with a CBV 2.0 eventID that matches its content, signed with EdDSA by a key of
 * the organization it names that was valid at its record time. One report per listed event.
 */
export async function checkSignedEvents(
  events: ProvenanceBundle['events'],
  keys: Map<string, PublishedKey>,
  crypto: CryptoEngine,
): Promise<{ reports: EventReport[]; parsed: ParsedEvents }> {
  const reports: EventReport[] = [];
  const parsed: ParsedEvents = new Map();
  const thumbprints = new Map<string, Promise<string>>();
  let signatureChecks: Array<Promise<void>> = [];

  for (const entry of events) {
    const report: EventReport = { hash: entry.hash, valid: false, eventID: null, type: null, stepType: null, eventTime: null, recordedBy: null, kid: null, failures: [] };
    reports.push(report);
    const fail = (check: CheckName, message: string) => report.failures.push({ check, message });
    const parts = entry.jws.split('.');
    if (parts.length !== 3) {
      fail('format', 'not a compact JWS with an attached payload');
      continue;
    }
    const [headerB64, payloadB64, signatureB64] = parts as [string, string, string];
    let header: Record<string, unknown>;
    let payloadBytes: Uint8Array;
    let event: Record<string, unknown>;
    try {
      header = JSON.parse(decoder.decode(base64UrlDecode(headerB64))) as Record<string, unknown>;
      payloadBytes = base64UrlDecode(payloadB64);
      event = JSON.parse(decoder.decode(payloadBytes)) as Record<string, unknown>;
      if (!isRecord(header) || !isRecord(event)) throw new Error('not objects');
    } catch {
      fail('format', 'the JWS header or payload is not base64url JSON');
      continue;
    }
    report.eventID = typeof event.eventID === 'string' ? event.eventID : null;
    report.type = typeof event.type === 'string' ? event.type : null;
    report.stepType = typeof event['ft:stepType'] === 'string' ? event['ft:stepType'] : null;
    report.eventTime = typeof event.eventTime === 'string' ? event.eventTime : null;
    report.recordedBy = typeof event['ft:recordedBy'] === 'string' ? event['ft:recordedBy'] : null;
    report.kid = typeof header.kid === 'string' ? header.kid : null;

    const computed = toHex(await crypto.sha256(payloadBytes));
    if (computed !== entry.hash) fail('hash', `the payload hashes to ${computed}, not to the listed ${entry.hash}`);
    if (canonicalJson(event) !== decoder.decode(payloadBytes)) fail('canonical', 'the payload is not in RFC 8785 canonical form');
    checkEventId(event, fail);
    parsed.set(computed, event);
    if (computed !== entry.hash) parsed.set(entry.hash, event);

    if (header.alg !== 'EdDSA') fail('signature', `algorithm ${String(header.alg)} is not EdDSA`);
    const key = report.kid ? keys.get(report.kid) : undefined;
    if (!key) {
      fail('key', `unknown key ${report.kid ?? '(no kid)'}`);
    } else {
      if (!thumbprints.has(key.x)) thumbprints.set(key.x, ed25519Thumbprint(crypto, key.x));
      if ((await thumbprints.get(key.x)) !== key.kid) fail('key', `key ${key.kid} does not match its thumbprint`);
      if (key.org !== report.recordedBy) fail('key', `key ${key.kid} belongs to ${key.org}, but the event names ${report.recordedBy}`);
      const recordTime = typeof event.recordTime === 'string' ? Date.parse(event.recordTime) : NaN;
      if (Number.isNaN(recordTime)) fail('key', 'the event has no recordTime to check the key against');
      else if (key.revokedAt && recordTime >= Date.parse(key.revokedAt)) fail('key', `key ${key.kid} was revoked at ${key.revokedAt}, before this event was recorded`);
      else if (recordTime < Date.parse(key.validFrom) || (key.validTo && recordTime >= Date.parse(key.validTo))) {
        fail('key', `key ${key.kid} was not valid when this event was recorded`);
      }
      const check = (async () => crypto.verify(base64UrlDecode(key.x), base64UrlDecode(signatureB64), encoder.encode(`${headerB64}.${payloadB64}`)))()
        .catch(() => false)
        .then((ok) => {
          if (!ok) fail('signature', `the Ed25519 signature does not verify with key ${key.kid}`);
        });
      signatureChecks.push(check);
      if (signatureChecks.length >= CONCURRENT_SIGNATURE_CHECKS) {
        await Promise.all(signatureChecks);
        signatureChecks = [];
      }
    }
  }
  await Promise.all(signatureChecks);
  return { reports, parsed };
}

/** Every event names the events it follows (`ft:prev`), and each of them is in the bundle. */
export function checkPrev(reports: EventReport[], parsed: ParsedEvents): void {
  for (const report of reports) {
    const event = parsed.get(report.hash);
    const prev = event?.['ft:prev'];
    if (!event) continue;
    if (!Array.isArray(prev)) {
      report.failures.push({ check: 'prev', message: 'ft:prev is missing' });
      continue;
    }
    for (const p of prev) {
      if (typeof p !== 'string' || !parsed.has(p)) report.failures.push({ check: 'prev', message: `referenced event ${String(p)} is missing from the bundle` });
    }
  }
}

/** Hashes of the public renditions a media event signed. */
function signedRenditions(event: Record<string, unknown> | undefined): string[] {
  const details = event?.['ft:mediaDetails'];
  if (!Array.isArray(details)) return [];
  return details.flatMap((file) =>
    isRecord(file) && Array.isArray(file.renditions)
      ? file.renditions.filter((r): r is { sha256: string } => isRecord(r) && typeof r.sha256 === 'string').map((r) => r.sha256)
      : [],
  );
}

/** Fetches every photo rendition an event signed and checks its bytes against the signed hash. Returns how many were fetched and compared. */
export async function checkMedia(
  bundle: ProvenanceBundle,
  reports: EventReport[],
  parsed: ParsedEvents,
  crypto: CryptoEngine,
  fetchMedia: (url: string) => Promise<Uint8Array>,
): Promise<number> {
  let mediaChecked = 0;
  const urls = new Map((Array.isArray(bundle.media) ? bundle.media : []).map((m) => [m.sha256, m.url]));
  for (const report of reports) {
    for (const sha256 of signedRenditions(parsed.get(report.hash))) {
      const url = urls.get(sha256);
      if (!url) {
        report.failures.push({ check: 'media', message: `rendition ${sha256} is not listed in the bundle's media` });
        continue;
      }
      let actual: string;
      try {
        actual = toHex(await crypto.sha256(await fetchMedia(url)));
      } catch (error) {
        report.failures.push({ check: 'media', message: `rendition ${url} could not be fetched (${(error as Error).message})` });
        continue;
      }
      mediaChecked++;
      if (actual !== sha256) report.failures.push({ check: 'media', message: `the image at ${url} is not the one signed (its SHA-256 is ${actual})` });
    }
  }
  return mediaChecked;
}
