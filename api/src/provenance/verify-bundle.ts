/**
 * Offline verification of a provenance bundle. This module runs unchanged in Node and in the
 * browser: it uses only Web APIs (WebCrypto, TextEncoder, atob) and pure-JS packages, and loads
 * the pure-JS Ed25519 and SHA-2 implementations (noble) only when WebCrypto cannot do the job
 * (browsers before Chrome 137, pages served without a secure context).
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { base64UrlDecode, base64UrlEncode, fromHex, toHex } from '../domain/bytes.js';
import { eventIdOf, lotUri } from '../domain/event-model.js';
import { commissioningLotNumber, lotKeyOf, sameLot, type LotKey } from '../domain/lot-key.js';
import { openCheckpoint, parseVerifierKey, type Checkpoint } from '../log/checkpoint.js';
import { leafHash, verifyInclusion } from '../log/merkle.js';

export const BUNDLE_FORMAT = 'farm-trace/provenance-bundle@2';

/** An Ed25519 public key as served in the JWKS, with its validity window. */
export interface PublishedKey {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
  /** URI of the organization that holds the key (the `ft:recordedBy` of what it signs). */
  org: string;
  /** The key signs events recorded from this time… */
  validFrom: string;
  /** …until it was rotated (null while current). */
  validTo: string | null;
  /** Events recorded at or after this time with this key are invalid. */
  revokedAt: string | null;
  status: 'active' | 'rotated' | 'revoked';
}

export interface ProvenanceBundle {
  format: typeof BUNDLE_FORMAT;
  lot: { id: string; uri: string; digitalLink: string; product: string; lotNumber: string; gtin: string | null };
  /** Hashes of the lot's latest events: where its history ends. */
  heads: string[];
  /** Every event of the lot's ancestry, each as recorded: its hash and its compact JWS. */
  events: Array<{ hash: string; jws: string }>;
  keys: PublishedKey[];
  /** Where the public renditions of the bundle's photos can be fetched, by their SHA-256. */
  media: Array<{ sha256: string; url: string }>;
  /** Where the transparency log holds every event: a signed checkpoint and each event's inclusion proof in it. */
  log: {
    /** The checkpoint, a C2SP signed note. */
    checkpoint: string;
    /** The log's signed-note verifier key (`name+hash+key`). */
    verifierKey: string;
    proofs: Array<{ hash: string; leafIndex: number; hashes: string[] }>;
  };
  generatedAt: string;
}

export type CheckName = 'format' | 'hash' | 'canonical' | 'eventID' | 'key' | 'signature' | 'prev' | 'ancestry' | 'lot' | 'media' | 'log';

export interface EventReport {
  hash: string;
  valid: boolean;
  eventID: string | null;
  type: string | null;
  stepType: string | null;
  eventTime: string | null;
  recordedBy: string | null;
  kid: string | null;
  failures: Array<{ check: CheckName; message: string }>;
}

export interface VerificationReport {
  valid: boolean;
  lot: ProvenanceBundle['lot'] | null;
  engine: 'webcrypto' | 'noble';
  /** How many photo renditions were fetched and matched against their signed hashes. */
  mediaChecked: number;
  /** Problems with the bundle as a whole (shape, heads, cycles, the log's checkpoint). */
  errors: string[];
  /** The log checkpoint every event was proven to be in, once its signature verified. */
  checkpoint: { origin: string; treeSize: number; rootHash: string } | null;
  events: EventReport[];
}

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

interface Crypto {
  name: 'webcrypto' | 'noble';
  sha256(data: Uint8Array): Promise<Uint8Array>;
  verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** RFC 7638 JWK thumbprint of an Ed25519 public key (members crv, kty, x in lexicographic order). */
export async function ed25519Thumbprint(crypto: Pick<Crypto, 'sha256'>, x: string): Promise<string> {
  return base64UrlEncode(await crypto.sha256(encoder.encode(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`)));
}

/**
 * SHA-256 in pure JS for both engines: the inputs are small (events, Merkle nodes), and WebCrypto's
 * digest is a thread-pool round trip per call, which made hashing a 10,000-event bundle's
 * inclusion proofs most of its verification time.
 */
const sha256Now = (data: Uint8Array): Promise<Uint8Array> => Promise.resolve(nobleSha256(data));

/** Signature checks in flight at once: WebCrypto verifies on the thread pool, so they overlap. */
const CONCURRENT_SIGNATURE_CHECKS = 256;

async function webCrypto(): Promise<Crypto | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const keys = new Map<string, Promise<CryptoKey>>();
  const importKey = (raw: Uint8Array) => {
    const id = toHex(raw);
    let key = keys.get(id);
    if (!key) {
      key = subtle.importKey('raw', raw as BufferSource, { name: 'Ed25519' }, false, ['verify']);
      keys.set(id, key);
    }
    return key;
  };
  try {
    // Probe with a valid point (the Ed25519 base point's encoding): throws where Ed25519 is missing.
    await importKey(base64UrlDecode('WGZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmY'));
  } catch {
    return null;
  }
  return {
    name: 'webcrypto',
    sha256: sha256Now,
    verify: async (publicKey, signature, message) =>
      subtle.verify({ name: 'Ed25519' }, await importKey(publicKey), signature as BufferSource, message as BufferSource),
  };
}

async function nobleCrypto(): Promise<Crypto> {
  const [ed, { sha512 }] = await Promise.all([import('@noble/ed25519'), import('@noble/hashes/sha2.js')]);
  ed.hashes.sha512 = sha512;
  ed.hashes.sha512Async = (m: Uint8Array) => Promise.resolve(sha512(m));
  return {
    name: 'noble',
    sha256: sha256Now,
    verify: async (publicKey, signature, message) => {
      try {
        return ed.verify(signature, message, publicKey);
      } catch {
        return false;
      }
    },
  };
}

async function chooseCrypto(engine: VerifyOptions['engine']): Promise<Crypto> {
  if (engine === 'noble') return nobleCrypto();
  const web = await webCrypto();
  if (web) return web;
  if (engine === 'webcrypto') throw new Error('this runtime has no WebCrypto Ed25519');
  return nobleCrypto();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The lot identifiers an event names, in any of the EPCIS identifier lists. */
function identifiersOf(event: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const list of ['epcList', 'inputEPCList', 'outputEPCList', 'childEPCs']) {
    const value = event[list];
    if (Array.isArray(value)) out.push(...value.filter((v): v is string => typeof v === 'string'));
  }
  for (const list of ['quantityList', 'inputQuantityList', 'outputQuantityList', 'childQuantityList']) {
    const value = event[list];
    if (Array.isArray(value)) for (const q of value) if (isRecord(q) && typeof q.epcClass === 'string') out.push(q.epcClass);
  }
  if (typeof event.parentID === 'string') out.push(event.parentID);
  return out;
}

/**
 * Whether an event names the bundle's lot: by any spelling of its identifier (Digital Link on any
 * host, EPC URN, with or without an item serial), or by an item serial that an event of the bundle
 * commissioned into the lot (an ObjectEvent ADD with the lot's number in its ILMD).
 */
function namesLot(event: Record<string, unknown>, lot: ProvenanceBundle['lot'], events: Iterable<Record<string, unknown>>): boolean {
  const lotKey = lotKeyOf(lot.uri);
  if (!lotKey) return identifiersOf(event).includes(lot.uri);
  const keys = identifiersOf(event).map(lotKeyOf);
  if (keys.some((key) => key && sameLot(key, lotKey))) return true;
  const items = keys.filter((key): key is Extract<LotKey, { kind: 'gtin-serial' }> => key?.kind === 'gtin-serial');
  if (!items.length || lot.gtin === null) return false;
  const commissioned = new Set<string>();
  for (const other of events) {
    if (commissioningLotNumber(other) !== lot.lotNumber) continue;
    for (const id of identifiersOf(other)) {
      const key = lotKeyOf(id);
      if (key?.kind === 'gtin-serial' && key.gtin === lot.gtin) commissioned.add(key.serial);
    }
  }
  return items.some((item) => item.gtin === lot.gtin && commissioned.has(item.serial));
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

function checkShape(bundle: unknown): string[] {
  if (!isRecord(bundle)) return ['the bundle is not a JSON object'];
  const errors: string[] = [];
  if (bundle.format !== BUNDLE_FORMAT) errors.push(`format must be "${BUNDLE_FORMAT}"`);
  if (!isRecord(bundle.lot) || typeof bundle.lot.uri !== 'string') errors.push('lot.uri is missing');
  if (!Array.isArray(bundle.heads) || bundle.heads.some((h) => typeof h !== 'string')) errors.push('heads must be a list of event hashes');
  if (!Array.isArray(bundle.events) || bundle.events.some((e) => !isRecord(e) || typeof e.hash !== 'string' || typeof e.jws !== 'string')) {
    errors.push('events must be a list of {hash, jws}');
  }
  if (!Array.isArray(bundle.keys) || bundle.keys.some((k) => !isRecord(k) || typeof k.kid !== 'string' || typeof k.x !== 'string')) {
    errors.push('keys must be a list of Ed25519 JWKs with kid');
  }
  const log = bundle.log;
  if (!isRecord(log) || typeof log.checkpoint !== 'string' || typeof log.verifierKey !== 'string' || !Array.isArray(log.proofs)) {
    errors.push('log must hold a checkpoint, the log’s verifierKey and proofs');
  } else if (log.proofs.some((p) => !isRecord(p) || typeof p.hash !== 'string' || typeof p.leafIndex !== 'number' || !Array.isArray(p.hashes) || p.hashes.some((h) => typeof h !== 'string'))) {
    errors.push('log.proofs must be a list of {hash, leafIndex, hashes}');
  }
  return errors;
}

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
  const reports: EventReport[] = [];
  const parsed = new Map<string, Record<string, unknown>>();
  const errors: string[] = [];
  const thumbprints = new Map<string, Promise<string>>();
  let signatureChecks: Array<Promise<void>> = [];

  for (const entry of bundle.events) {
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

  const byHash = new Map(reports.map((r) => [r.hash, r]));
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

  // The lot's history: everything reachable from its heads through prev, with no cycle.
  const state = new Map<string, 'open' | 'done'>();
  const reachable = new Set<string>();
  // Iterative depth-first walk with open/done marks: long histories cannot overflow the stack.
  const visit = (start: string): void => {
    const stack: Array<{ hash: string; next: number }> = [];
    const enter = (hash: string): void => {
      const seen = state.get(hash);
      if (seen === 'done') return;
      if (seen === 'open') {
        const from = stack.findIndex((frame) => frame.hash === hash);
        errors.push(`cycle in the event graph: ${[...stack.slice(from).map((frame) => frame.hash), hash].join(' → ')}`);
        return;
      }
      state.set(hash, 'open');
      reachable.add(hash);
      stack.push({ hash, next: 0 });
    };
    enter(start);
    while (stack.length) {
      const frame = stack[stack.length - 1]!;
      const prev = parsed.get(frame.hash)?.['ft:prev'];
      const refs = Array.isArray(prev) ? prev.filter((p): p is string => typeof p === 'string' && parsed.has(p)) : [];
      if (frame.next < refs.length) {
        enter(refs[frame.next++]!);
      } else {
        state.set(frame.hash, 'done');
        stack.pop();
      }
    }
  };
  if (bundle.lot.gtin !== null && bundle.lot.uri !== lotUri({ gtin: bundle.lot.gtin, lotNumber: bundle.lot.lotNumber, code: '' })) {
    errors.push(`the lot's GTIN and lot number do not match its identifier ${bundle.lot.uri}`);
  }
  if (bundle.heads.length === 0) errors.push('the bundle names no head event');
  for (const head of bundle.heads) {
    const event = parsed.get(head);
    if (!event) {
      errors.push(`head event ${head} is missing from the bundle`);
      continue;
    }
    if (!namesLot(event, bundle.lot, parsed.values())) {
      byHash.get(head)?.failures.push({ check: 'lot', message: `the head event does not name the lot ${bundle.lot.uri}` });
    }
    visit(head);
  }
  let mediaChecked = 0;
  if (options.fetchMedia) {
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
          actual = toHex(await crypto.sha256(await options.fetchMedia(url)));
        } catch (error) {
          report.failures.push({ check: 'media', message: `rendition ${url} could not be fetched (${(error as Error).message})` });
          continue;
        }
        mediaChecked++;
        if (actual !== sha256) report.failures.push({ check: 'media', message: `the image at ${url} is not the one signed (its SHA-256 is ${actual})` });
      }
    }
  }

  const checkpoint = await checkLog(bundle, reports, crypto, options.trustedLogKey, errors);

  for (const report of reports) {
    if (!reachable.has(report.hash)) report.failures.push({ check: 'ancestry', message: 'the event is not part of this lot’s history (not reachable from its heads)' });
    report.valid = report.failures.length === 0;
  }
  if (new Set(reports.map((r) => r.hash)).size !== reports.length) errors.push('an event is listed twice');
  return { valid: errors.length === 0 && reports.every((r) => r.valid), lot: bundle.lot, engine: crypto.name, mediaChecked, errors, checkpoint, events: reports };
}

/**
 * The transparency log's word on the bundle: the checkpoint is signed by the log's key, and each
 * event's hash is a leaf of the tree that checkpoint commits to. A server that later rewrote or
 * dropped one of these events would have to fork its log, which a monitor holding a later
 * checkpoint detects.
 */
async function checkLog(bundle: ProvenanceBundle, reports: EventReport[], crypto: Crypto, trustedLogKey: string | undefined, errors: string[]): Promise<VerificationReport['checkpoint']> {
  let checkpoint: Checkpoint;
  try {
    const key = await parseVerifierKey(trustedLogKey ?? bundle.log.verifierKey, crypto.sha256);
    checkpoint = await openCheckpoint(bundle.log.checkpoint, key, crypto.verify);
  } catch (error) {
    errors.push(`log checkpoint: ${(error as Error).message}`);
    for (const report of reports) report.failures.push({ check: 'log', message: 'not proven to be in the transparency log (no valid checkpoint)' });
    return null;
  }
  const proofs = new Map(bundle.log.proofs.map((p) => [p.hash, p]));
  for (const report of reports) {
    const proof = proofs.get(report.hash);
    if (!proof) {
      report.failures.push({ check: 'log', message: `no inclusion proof in the checkpoint of ${checkpoint.treeSize} leaves` });
      continue;
    }
    let included = false;
    try {
      const leaf = await leafHash(fromHex(report.hash), crypto.sha256);
      included = await verifyInclusion(proof.leafIndex, checkpoint.treeSize, leaf, proof.hashes.map(fromHex), checkpoint.rootHash, crypto.sha256);
    } catch {
      included = false;
    }
    if (!included) report.failures.push({ check: 'log', message: `the inclusion proof of leaf ${proof.leafIndex} does not lead to the checkpoint’s root` });
  }
  return { origin: checkpoint.origin, treeSize: checkpoint.treeSize, rootHash: toHex(checkpoint.rootHash) };
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
