/**
 * Issue 11, item 3: verification.
 *
 * Offline: a lot's provenance bundle of about 1,000 and 10,000 signed events (captured as EPCIS
 * ObjectEvents naming the demo's single-origin lot, on a fresh seeded SQLite store in this
 * process) verified by `verifyBundle`, against raw node:crypto Ed25519 verification of the same
 * signatures (target: at most 1.5× its time).
 *
 * Over HTTP: POST /api/v1/verify requests per second with a demo bundle and a ~1,000-event bundle,
 * against the Express JSON-POST baseline given a body of the same bytes (no target in the issue).
 */
import { createPublicKey, verify as ed25519Verify, type KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Actor } from '../../api/src/core/auth.js';
import type { ProvenanceBundle } from '../../api/src/verifier/bundle-format.js';
import { verifyBundle } from '../../api/src/verifier/verify-bundle.js';
import { startHarness, type Harness } from '../../api/test/support/harness.js';
import { captureAndWait, fetchJson, login } from '../lib/client.js';
import { ratioOf, type Figure } from '../lib/figures.js';
import { load } from '../lib/load.js';
import { startBaseline, startService, type RunningServer } from '../lib/servers.js';
import { medianMs } from '../lib/timing.js';
import type { Scenario } from './scenario.js';

/** The cooperative's published single-origin green lot: in its custody, so captured events naming it join its history. */
const LOT = { gtin: '08936123450038', lotNumber: 'EHO-2512-S1' };
const LOT_LINK = `https://id.gs1.org/01/${LOT.gtin}/10/${LOT.lotNumber}`;
const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** The large bundle of the offline figure; EPCIS_CAPTURE_MAX_EVENTS (10,000) allows it in one document. */
const SIZES = [1_000, 10_000] as const;
const count = (n: number) => n.toLocaleString('en-US');

/**
 * An EPCIS document of `n` storage observations of the lot, each a second after the one before
 * (events of a document must differ, or they share their CBV 2.0 hash ID), from `startIndex`.
 */
function observationDocument(n: number, startIndex = 0): Record<string, unknown> {
  const start = Date.parse('2026-01-10T00:30:00Z');
  const eventList = Array.from({ length: n }, (_, i) => ({
    type: 'ObjectEvent',
    eventTime: new Date(start + (startIndex + i) * 1000).toISOString(),
    eventTimeZoneOffset: '+07:00',
    action: 'OBSERVE',
    bizStep: 'storing',
    disposition: 'in_progress',
    epcList: [LOT_LINK],
  }));
  return { '@context': [EPCIS_CONTEXT], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-01-10T08:00:00+07:00', epcisBody: { eventList } };
}

/** Captures the document as `actor` and waits for its job; throws with the job's errors when it failed. */
async function captureAll(s: Harness, actor: Actor, document: Record<string, unknown>): Promise<void> {
  const job = await s.services.capture.submit(actor, document);
  let done = await s.store.captureJobs.findById(job.id);
  while (done?.running) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    done = await s.store.captureJobs.findById(job.id);
  }
  if (!done?.success) throw new Error(`bench capture failed: ${JSON.stringify(done?.errors ?? 'no job').slice(0, 500)}`);
}

/** What a bare verifier does with node:crypto: split each JWS, decode its signature, verify the signing input with the signer's key. */
function rawVerifyAll(bundle: ProvenanceBundle): number {
  const keys = new Map<string, KeyObject>();
  let valid = 0;
  for (const { jws } of bundle.events) {
    const [header, payload, signature] = jws.split('.') as [string, string, string];
    const kid = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid: string }).kid;
    let key = keys.get(kid);
    if (!key) {
      const jwk = bundle.keys.find((k) => k.kid === kid);
      if (!jwk) throw new Error(`no key ${kid} in the bundle`);
      key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
      keys.set(kid, key);
    }
    if (ed25519Verify(null, Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))) valid++;
  }
  return valid;
}

async function offlineFigures(): Promise<Figure[]> {
  // The demo data on a fresh SQLite file in a temp folder, with the services over it: the test harness.
  const s = await startHarness({ seed: true });
  try {
    const actor = await s.services.auth.authenticate((await s.login('coop@demo.test')).slice('Bearer '.length));
    const lot = await s.store.batches.findByGtinLot(LOT.gtin, LOT.lotNumber);
    if (!lot) throw new Error(`the demo data has no lot ${LOT.lotNumber}`);
    const figures: Figure[] = [];
    let captured = 0;
    for (const size of SIZES) {
      await captureAll(s, actor, observationDocument(size - captured, captured));
      captured = size;
      const bundle = await s.services.provenance.bundle(null, lot.id);
      const report = await verifyBundle(bundle);
      if (!report.valid) throw new Error(`the ${count(size)}-event bundle does not verify: ${JSON.stringify(report.errors)}`);
      if (rawVerifyAll(bundle) !== bundle.events.length) throw new Error('raw Ed25519 verification failed on the bench bundle');
      // A 10,000-event verification takes over ten seconds here: the check above is its warm-up,
      // and one timed run keeps the bench short (the 1,000-event figure takes the median of 5).
      let ms: number;
      if (size >= 10_000) {
        const started = performance.now();
        await verifyBundle(bundle);
        ms = performance.now() - started;
      } else {
        ms = await medianMs(() => verifyBundle(bundle), 5);
      }
      const rawMs = await medianMs(() => rawVerifyAll(bundle), 3);
      figures.push({
        name: 'provenance bundle verified offline (verifyBundle)',
        size: `${count(bundle.events.length)} events`,
        value: ms,
        unit: 'ms',
        baseline: { name: 'raw node:crypto Ed25519 verify of the same signatures', value: rawMs, unit: 'ms' },
        ratio: ratioOf(ms, rawMs),
        target: { max: 1.5 },
        details: { engine: report.engine, bundleBytes: JSON.stringify(bundle).length, eventsPerSecond: Math.round((bundle.events.length * 1000) / ms) },
      });
    }
    return figures;
  } finally {
    await s.close();
  }
}

async function httpFigures(): Promise<Figure[]> {
  const service = await startService();
  const servers: RunningServer[] = [service];
  try {
    const coop = await login(service, 'coop@demo.test');
    const lots = await fetchJson<{ items: Array<{ id: string; lotNumber: string }> }>(`${service.url}/api/v1/batches?limit=500`, { headers: { authorization: coop } });
    const lot = lots.items.find((b) => b.lotNumber === LOT.lotNumber);
    if (!lot) throw new Error(`the service's demo data has no lot ${LOT.lotNumber}`);
    const bundleText = async () => {
      const res = await fetch(`${service.url}/api/v1/batches/${lot.id}/provenance`);
      if (!res.ok) throw new Error(`provenance: ${res.status}`);
      return res.text();
    };
    const demoBundle = await bundleText();

    // The second size: the same lot after a capture of 1,000 more events.
    await captureAndWait(service, coop, JSON.stringify(observationDocument(1_000)));
    const largeBundle = await bundleText();

    const baseline = await startBaseline();
    servers.push(baseline);
    const figures: Figure[] = [];
    const cases = [
      // One verification of the large bundle takes over a second of the service's one event loop,
      // and concurrent ones interleave (each finishes only when all do): one connection, a longer run.
      { body: demoBundle, label: 'demo bundle', connections: 16, seconds: 5 },
      { body: largeBundle, label: '1,000-event bundle', connections: 1, seconds: 10 },
    ];
    for (const c of cases) {
      const events = (JSON.parse(c.body) as ProvenanceBundle).events.length;
      const headers = { 'content-type': 'application/json' };
      const measured = await load({ url: `${service.url}/api/v1/verify`, method: 'POST', headers, body: c.body, connections: c.connections, seconds: c.seconds });
      const base = await load({ url: `${baseline.url}/json`, method: 'POST', headers, body: c.body, connections: c.connections, seconds: c.seconds, expectStatus: 201 });
      figures.push({
        name: 'POST /api/v1/verify',
        size: `${c.label} (${count(events)} events, ${Math.round(Buffer.byteLength(c.body) / 1024).toLocaleString('en-US')} kB)`,
        value: measured.rps,
        unit: 'req/s',
        baseline: { name: 'Express JSON POST, same body', value: base.rps, unit: 'req/s' },
        ratio: ratioOf(measured.rps, base.rps),
        details: { p99Ms: measured.p99, baselineP99Ms: base.p99, connections: c.connections, failures: measured.failures, baselineFailures: base.failures },
      });
    }
    return figures;
  } finally {
    for (const server of servers.reverse()) await server.stop();
  }
}

export const verify: Scenario = {
  name: 'verify',
  summary: 'provenance bundles of 1,000 and 10,000 events verified offline vs raw Ed25519; POST /api/v1/verify vs JSON POST',
  async run() {
    return [...(await offlineFigures()), ...(await httpFigures())];
  },
};
