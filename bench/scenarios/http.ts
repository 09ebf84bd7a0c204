import { generateKeyPairSync, sign } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { captureAndWait, fetchJson, login } from '../lib/client.js';
import { ratioOf, type Figure } from '../lib/figures.js';
import { load } from '../lib/load.js';
import { startBaseline, startService, type RunningServer } from '../lib/servers.js';
import type { Scenario } from './scenario.js';

/** The cooperative's single-origin green lot: published, in its custody, so it takes new events. */
const LOT = { gtin: '08936123450038', lotNumber: 'EHO-2512-S1' };
const LOT_PATH = `/01/${LOT.gtin}/10/${LOT.lotNumber}`;
const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** A JSON body of `bytes` bytes for the JSON-POST baseline. */
function jsonBody(bytes: number): string {
  const base = JSON.stringify({ type: 'storage', occurredAt: '2026-01-10T07:30:00+07:00', notes: '' });
  return JSON.stringify({ type: 'storage', occurredAt: '2026-01-10T07:30:00+07:00', notes: 'x'.repeat(Math.max(0, bytes - base.length)) });
}

/** A storage step of about 600 bytes, distinct per `n` (its time and notes), as a farmer's phone sends one. */
function stepBody(n: number): string {
  const at = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString().replace('Z', '+00:00');
  const base = JSON.stringify({ type: 'storage', occurredAt: at, place: { name: 'Kho HTX Krông Năng', gln: '8936123400118' }, notes: `bench ${n}` });
  return JSON.stringify({ type: 'storage', occurredAt: at, place: { name: 'Kho HTX Krông Năng', gln: '8936123400118' }, notes: `bench ${n} ${'·'.repeat(Math.max(0, 600 - base.length) / 2)}` });
}

function captureDocument(count: number, offset: number): string {
  const events = Array.from({ length: count }, (_, i) => ({
    type: 'ObjectEvent',
    eventTime: new Date(Date.UTC(2026, 1, 1) + (offset + i) * 1000).toISOString(),
    eventTimeZoneOffset: '+07:00',
    action: 'OBSERVE',
    bizStep: 'storing',
    disposition: 'in_progress',
    epcList: [],
    quantityList: [{ epcClass: `https://id.gs1.org${LOT_PATH}`, quantity: 60, uom: 'KGM' }],
    readPoint: { id: 'https://id.gs1.org/414/8936123400118' },
  }));
  return JSON.stringify({ '@context': [CONTEXT], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-02-01T00:00:00Z', epcisBody: { eventList: events } });
}

/** Events in the lot's bundle: the size the page figures are taken at. */
async function historySize(service: RunningServer, batchId: string): Promise<number> {
  return (await fetchJson<{ events: unknown[] }>(`${service.url}/api/v1/batches/${batchId}/provenance`)).events.length;
}

async function logSize(service: RunningServer): Promise<number> {
  const note = await (await fetch(`${service.url}/api/v1/log/checkpoint`)).text();
  return Number(note.split('\n')[1]);
}

/** Raw Ed25519 signatures a second with node:crypto, over event-sized messages: the signing baseline. */
function rawSigningRate(): number {
  const { privateKey } = generateKeyPairSync('ed25519');
  const message = Buffer.from(captureDocument(1, 0));
  for (let i = 0; i < 500; i++) sign(null, message, privateKey);
  const count = 5000;
  const started = performance.now();
  for (let i = 0; i < count; i++) sign(null, message, privateKey);
  return (count * 1000) / (performance.now() - started);
}

/** Events captured a second, end to end: the POST, the job, the polling. */
async function captureRate(service: RunningServer, auth: string, count: number, offset: number): Promise<number> {
  const body = captureDocument(count, offset);
  const started = performance.now();
  await captureAndWait(service, auth, body);
  return (count * 1000) / (performance.now() - started);
}

export const http: Scenario = {
  name: 'http',
  summary: 'origin page and linkset by Digital Link, signed steps and EPCIS capture, against Express baselines and raw Ed25519 signing',
  async run() {
    const figures: Figure[] = [];
    const baseline = await startBaseline();
    const service = await startService();
    try {
      const hello = await load({ url: `${baseline.url}/hello` });
      const jsonPost = await load({ url: `${baseline.url}/json`, method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonBody(600), connections: 16, expectStatus: 201 });
      const signing = rawSigningRate();
      const coop = await login(service, 'coop@demo.test');
      const lot = (await fetchJson<{ items: Array<{ id: string; lotNumber: string }> }>(`${service.url}/api/v1/batches?limit=500`, { headers: { authorization: coop } })).items.find((b) => b.lotNumber === LOT.lotNumber)!;

      const helloBaseline = { name: 'Express hello world', value: hello.rps, unit: 'req/s' };
      const pages = async (size: string) => {
        const page = await load({ url: `${service.url}${LOT_PATH}`, headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
        figures.push({ name: 'origin page (HTML) by Digital Link', size, value: page.rps, unit: 'req/s', baseline: helloBaseline, ratio: ratioOf(page.rps, hello.rps), target: { min: 0.5 }, details: { p99Ms: page.p99, baselineP99Ms: hello.p99, failures: page.failures } });
        const linkset = await load({ url: `${service.url}${LOT_PATH}?linkType=linkset` });
        figures.push({ name: 'linkset (JSON) by Digital Link', size, value: linkset.rps, unit: 'req/s', baseline: helloBaseline, ratio: ratioOf(linkset.rps, hello.rps), target: { min: 0.5 }, details: { p99Ms: linkset.p99, baselineP99Ms: hello.p99, failures: linkset.failures } });
      };
      await pages(`lot of ${await historySize(service, lot.id)} events`);

      // Single-event signed writes: steps as the console posts them, 16 clients at once.
      const jsonBaseline = { name: 'Express JSON POST (600 B)', value: jsonPost.rps, unit: 'req/s' };
      const steps = async () => {
        const size = `log of ${await logSize(service)} leaves`;
        let n = Math.floor(Math.random() * 1e6) * 100;
        const result = await load({
          url: `${service.url}/api/v1/batches/${lot.id}/steps`,
          method: 'POST',
          headers: { authorization: coop, 'content-type': 'application/json' },
          bodyFor: () => stepBody(n++),
          connections: 16,
          expectStatus: 201,
        });
        figures.push({ name: 'signed step POST (canonicalize, sign, store, log)', size, value: result.rps, unit: 'req/s', baseline: jsonBaseline, ratio: ratioOf(result.rps, jsonPost.rps), target: { min: 0.4 }, details: { p99Ms: result.p99, failures: result.failures } });
      };
      await steps();

      const signingBaseline = { name: 'raw Ed25519 signing', value: signing, unit: 'sig/s' };
      // Warm-up: the first capture compiles the EPCIS JSON Schema (once per process).
      await captureRate(service, coop, 10, 5000);
      for (const [count, offset] of [[100, 0], [1000, 100]] as const) {
        const rate = await captureRate(service, coop, count, offset);
        figures.push({ name: 'EPCIS capture document, end to end', size: `${count} events`, value: rate, unit: 'events/s', baseline: signingBaseline, ratio: ratioOf(rate, signing), target: { min: 0.4 } });
      }

      // The same page and steps again, now that the lot's history and the log have grown.
      await pages(`lot of ${await historySize(service, lot.id)} events`);
      await steps();
    } finally {
      await service.stop();
      await baseline.stop();
    }
    return figures;
  },
};
