import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { expect } from 'chai';
import { calculateJwkThumbprint, compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import request from 'supertest';
import { lotUri, plotUri } from '../src/domain/event-model.js';
import { KeyWrap } from '../src/keys/key-wrap.js';
import type { ProvenanceBundle, PublishedKey } from '../src/verifier/bundle-format.js';
import type { EventReport, VerificationReport } from '../src/verifier/report.js';
import { verifyBundle } from '../src/verifier/verify-bundle.js';
import { logSectionFor } from './support/log-fixture.js';
import { startHarness, squarePlot, type Harness } from './support/harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROBLEM = /application\/problem\+json/;

interface Lot {
  id: string;
  lotNumber: string;
  published: boolean;
  derivedFrom: string[];
}

interface Decoded {
  header: { alg?: string; kid?: string };
  payload: Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const clone = <T>(value: T): T => structuredClone(value);

function decodeJws(jws: string): Decoded {
  const [header, payload] = jws.split('.');
  return {
    header: JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')) as Decoded['header'],
    payload: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}

const payloadOf = (entry: { jws: string }) => decodeJws(entry.jws).payload;
const kidOf = (entry: { jws: string }) => decodeJws(entry.jws).header.kid;

/** A harvest: the event that creates the lot (CBV creating_class_instance), `ft:stepType` 'harvest' where the payload names it. */
const isHarvest = (e: Record<string, unknown>) => e['ft:stepType'] === 'harvest' || e.bizStep === 'creating_class_instance';
/** A plot registration: commissioning of a plot identifier with its `ft:plot` description. */
const isPlotRegistration = (e: Record<string, unknown>) => e['ft:plot'] !== undefined && e.bizStep === 'commissioning';

/** The bundle's entry whose payload has the given `ft:stepType` (exactly one). */
function entryOfStep(bundle: ProvenanceBundle, stepType: string): { index: number; hash: string; jws: string; payload: Record<string, unknown> } {
  const matches = bundle.events.map((e, index) => ({ ...e, index, payload: payloadOf(e) })).filter((e) => e.payload['ft:stepType'] === stepType);
  expect(matches, `events with ft:stepType ${stepType}`).to.have.length(1);
  return matches[0]!;
}

function reportFor(report: VerificationReport, hash: string): EventReport {
  const found = report.events.find((e) => e.hash === hash);
  expect(found, `report for event ${hash}`).to.not.equal(undefined);
  return found!;
}

const checksOf = (e: EventReport) => e.failures.map((f) => f.check);

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): CliResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The lines the CLI prints for one failed event: its `event <eventID> (…)` line and the check lines under it. */
function cliBlockFor(stdout: string, eventID: string): string {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  event ${eventID} `));
  expect(start, `the CLI names event ${eventID}:\n${stdout}`).to.be.greaterThan(-1);
  const block = [lines[start]!];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('    ')) break;
    block.push(line);
  }
  return block.join('\n');
}

describe('Provenance', () => {
  let h: Harness;
  let shift = 0;

  beforeEach(async () => {
    h = await startHarness({ seed: true });
  });
  afterEach(() => h.close());

  const get = (url: string, auth?: string) => {
    const req = request(h.app).get(url);
    return auth ? req.set('Authorization', auth) : req;
  };
  const post = (url: string, body: unknown, auth?: string) => {
    const req = request(h.app).post(url);
    return (auth ? req.set('Authorization', auth) : req).send(body as object);
  };

  const writeTemp = (name: string, value: unknown): string => {
    const file = path.join(h.dir, name);
    writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };

  const lotsOf = async (auth: string): Promise<Lot[]> => {
    const res = await get('/api/v1/batches?limit=500', auth).expect(200);
    return res.body.items as Lot[];
  };

  /** The roaster's published retail lot KN25R-A (a split of a merge of three coop lots). */
  const publishedRoastLot = async (): Promise<Lot> => {
    const lots = (await lotsOf(await h.login('processor@demo.test'))).filter((l) => l.published);
    const lot = lots.find((l) => l.lotNumber === 'KN25R-A');
    expect(lot, `published lots: ${JSON.stringify(lots.map((l) => l.lotNumber))}`).to.not.equal(undefined);
    return lot!;
  };

  const publicBundle = async (lotId: string): Promise<ProvenanceBundle> => {
    const res = await get(`/api/v1/batches/${lotId}/provenance`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as ProvenanceBundle;
  };

  const roastBundle = async (): Promise<ProvenanceBundle> => publicBundle((await publishedRoastLot()).id);

  /** A fresh plot and lot of coop@ with a drying step; returns the lot id. */
  const newCoopLot = async (coop: string): Promise<string> => {
    shift += 0.002;
    const plot = await post('/api/v1/plots', { name: `Rẫy ký ${shift.toFixed(3)}`, crops: ['coffee-robusta'], geometry: squarePlot(0.3 + shift) }, coop);
    expect(plot.status, JSON.stringify(plot.body)).to.equal(201);
    const harvestedAt = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    const lot = await post('/api/v1/batches', { plotIds: [plot.body.id], product: 'Cà phê Robusta quả tươi', harvestedAt, quantity: { value: 1000, unit: 'kg' } }, coop);
    expect(lot.status, JSON.stringify(lot.body)).to.equal(201);
    return lot.body.id as string;
  };

  const addStep = async (lotId: string, type: string, hoursAgo: number, auth: string): Promise<string> => {
    const occurredAt = `${new Date(Date.now() - hoursAgo * 3_600_000 + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
    const res = await post(`/api/v1/batches/${lotId}/steps`, { type, occurredAt }, auth);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.eventID as string;
  };

  const privateBundle = async (lotId: string, auth: string): Promise<ProvenanceBundle> => {
    const res = await get(`/api/v1/batches/${lotId}/provenance`, auth);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as ProvenanceBundle;
  };

  const entryByEventId = (bundle: ProvenanceBundle, eventID: string) => {
    const entry = bundle.events.find((e) => payloadOf(e).eventID === eventID);
    expect(entry, `bundle event ${eventID}`).to.not.equal(undefined);
    return entry!;
  };

  describe('bundles of lots', () => {
    it('when a published merged lot’s bundle is fetched without a token, then the same bundle verifies through the module (both engines), POST /api/v1/verify and the CLI, and holds the harvests and plot registrations of all three merged lots', async () => {
      const lot = await publishedRoastLot();
      const res = await request(h.app).get(`/api/v1/batches/${lot.id}/provenance`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const bundle = res.body as ProvenanceBundle;
      expect(bundle.format).to.equal('farm-trace/provenance-bundle@2');
      expect(bundle.lot.id).to.equal(lot.id);
      expect(bundle.heads).to.have.length(1);

      const moduleReport = await verifyBundle(clone(bundle));
      expect(moduleReport.valid, JSON.stringify(moduleReport.events.filter((e) => !e.valid))).to.equal(true);
      expect(moduleReport.errors).to.deep.equal([]);
      expect(moduleReport.events.map((e) => e.hash)).to.deep.equal(bundle.events.map((e) => e.hash));
      expect(moduleReport.events.every((e) => e.valid && e.failures.length === 0)).to.equal(true);

      const nobleReport = await verifyBundle(clone(bundle), { engine: 'noble' });
      expect(nobleReport.engine).to.equal('noble');
      expect(nobleReport.valid).to.equal(true);
      expect(nobleReport.events).to.have.length(bundle.events.length);

      const http = await request(h.app).post('/api/v1/verify').send(bundle);
      expect(http.status, JSON.stringify(http.body)).to.equal(200);
      expect(http.body.valid).to.equal(true);
      expect(http.body.errors).to.deep.equal([]);
      expect((http.body.events as EventReport[]).map((e) => [e.hash, e.valid])).to.deep.equal(bundle.events.map((e) => [e.hash, true]));

      const file = writeTemp('bundle.json', bundle);
      const cli = runCli([file]);
      expect(cli.status, cli.stdout + cli.stderr).to.equal(0);
      expect(cli.stdout).to.match(new RegExp(`^VALID: .*: ${bundle.events.length} events verified`));
      const cliNoble = runCli([file, '--engine', 'noble']);
      expect(cliNoble.status, cliNoble.stdout + cliNoble.stderr).to.equal(0);
      expect(cliNoble.stdout).to.include('(noble)');

      // The merge ancestry: the split's source lot was blended from three coop lots.
      expect(lot.derivedFrom).to.have.length(1);
      const blend = await h.store.batches.findById(lot.derivedFrom[0]!);
      expect(blend?.derivedFrom, 'the blend’s inputs').to.have.length(3);
      const inputs = await Promise.all(blend!.derivedFrom.map((id) => h.store.batches.findById(id)));
      const payloads = bundle.events.map(payloadOf);
      const harvests = payloads.filter(isHarvest);
      const harvestedLots = harvests.map((e) => (e.quantityList as Array<{ epcClass: string }>)[0]?.epcClass).sort();
      expect(harvestedLots).to.deep.equal(inputs.map((b) => lotUri(b!)).sort());
      const registeredPlots = payloads.filter(isPlotRegistration).flatMap((e) => e.epcList as string[]);
      for (const input of inputs) {
        const harvest = harvests.find((e) => (e.quantityList as Array<{ epcClass: string }>)[0]?.epcClass === lotUri(input!));
        const plots = input!.plotIds.map(plotUri);
        expect(plots).to.not.be.empty;
        expect((harvest!.ilmd as Record<string, unknown>)['ft:plots']).to.deep.equal(plots);
        expect(registeredPlots).to.include.members(plots);
      }
      const merge = payloads.find((e) => e['ft:stepType'] === 'merge');
      expect(merge, 'the merge event').to.not.equal(undefined);
      expect((merge!.inputQuantityList as Array<{ epcClass: string }>).map((q) => q.epcClass).sort()).to.deep.equal(harvestedLots);
    });

    it('when an unpublished lot’s bundle is asked for, then it is 404 without a token, 200 with the coop’s token and 404 for another cooperative', async () => {
      const coop = await h.login('coop@demo.test');
      const lot = (await lotsOf(coop)).find((l) => l.lotNumber === 'EHO-2512-S2');
      expect(lot, 'the coop’s unpublished lot EHO-2512-S2').to.not.equal(undefined);
      expect(lot!.published).to.equal(false);
      const url = `/api/v1/batches/${lot!.id}/provenance`;

      const anonymous = await get(url);
      expect(anonymous.status).to.equal(404);
      expect(anonymous.headers['content-type']).to.match(PROBLEM);

      const own = await get(url, coop);
      expect(own.status, JSON.stringify(own.body)).to.equal(200);
      expect((own.body as ProvenanceBundle).lot.id).to.equal(lot!.id);
      expect((await verifyBundle(own.body)).valid).to.equal(true);

      const other = await get(url, await h.login('other-coop@demo.test'));
      expect(other.status).to.equal(404);
      expect(other.headers['content-type']).to.match(PROBLEM);
      expect(JSON.stringify(other.body)).to.not.include('"jws"');
    });
  });

  describe('tampering', () => {
    interface Tampered {
      bundle: ProvenanceBundle;
      /** The report entry that must fail, by its listed hash, and the eventID the CLI must name. */
      hash: string;
      eventID: string;
      check: string;
      message?: RegExp;
      bundleError?: RegExp;
    }

    /** Verifies the tampered bundle in the module and the CLI; the untampered one first passes. */
    const expectDetected = async (original: ProvenanceBundle, t: Tampered, name: string) => {
      expect((await verifyBundle(clone(original))).valid, 'the untampered bundle verifies').to.equal(true);

      const report = await verifyBundle(clone(t.bundle));
      expect(report.valid).to.equal(false);
      const event = reportFor(report, t.hash);
      expect(event.valid).to.equal(false);
      expect(event.eventID).to.equal(t.eventID);
      expect(checksOf(event), JSON.stringify(event.failures)).to.include(t.check);
      if (t.message) expect(event.failures.filter((f) => f.check === t.check).map((f) => f.message).join('\n')).to.match(t.message);
      if (t.bundleError) expect(report.errors.join('\n')).to.match(t.bundleError);

      const cli = runCli([writeTemp(`${name}.json`, t.bundle)]);
      expect(cli.status, cli.stdout + cli.stderr).to.equal(1);
      expect(cli.stdout).to.match(/^INVALID: /);
      const block = cliBlockFor(cli.stdout, t.eventID);
      expect(block).to.include(`    ${t.check}: `);
      if (t.message) expect(block).to.match(t.message);
      if (t.bundleError) expect(cli.stdout).to.match(t.bundleError);
      return report;
    };

    it('when an event’s payload is changed (its notes) and keeps its old signature, then the signature check fails', async () => {
      const original = await roastBundle();
      const bundle = clone(original);
      const roasting = entryOfStep(bundle, 'roasting');
      const [header, , signature] = roasting.jws.split('.');
      expect(roasting.payload['ft:notes']).to.be.a('string');
      const changed = { ...roasting.payload, 'ft:notes': 'Rang đậm (dark), 16 phút' };
      const payload = Buffer.from(canonicalize(changed)!, 'utf8').toString('base64url');
      bundle.events[roasting.index] = { hash: roasting.hash, jws: `${header}.${payload}.${signature}` };
      await expectDetected(original, { bundle, hash: roasting.hash, eventID: roasting.payload.eventID as string, check: 'signature', message: /does not verify/ }, 'notes');
    });

    it('when an event’s signature is replaced by another event’s signature, then the signature check fails', async () => {
      const original = await roastBundle();
      const bundle = clone(original);
      const roasting = entryOfStep(bundle, 'roasting');
      const grinding = entryOfStep(bundle, 'grinding');
      expect(kidOf(roasting)).to.equal(kidOf(grinding));
      const [header, payload] = roasting.jws.split('.');
      bundle.events[roasting.index] = { hash: roasting.hash, jws: `${header}.${payload}.${grinding.jws.split('.')[2]}` };
      const report = await expectDetected(original, { bundle, hash: roasting.hash, eventID: roasting.payload.eventID as string, check: 'signature' }, 'swapped-signature');
      expect(checksOf(reportFor(report, roasting.hash))).to.deep.equal(['signature']);
    });

    it('when the key that signed an event is removed from the bundle’s keys, then the key check fails with an unknown key', async () => {
      const original = await roastBundle();
      const bundle = clone(original);
      const merge = entryOfStep(bundle, 'merge');
      const kid = kidOf(merge);
      expect(bundle.keys.map((k) => k.kid)).to.include(kid);
      bundle.keys = bundle.keys.filter((k) => k.kid !== kid);
      await expectDetected(original, { bundle, hash: merge.hash, eventID: merge.payload.eventID as string, check: 'key', message: new RegExp(`unknown key ${kid}`) }, 'no-key');
    });

    it('when a key’s x is replaced by another key’s x, then the key check fails on its thumbprint', async () => {
      const original = await roastBundle();
      const bundle = clone(original);
      const merge = entryOfStep(bundle, 'merge');
      const kid = kidOf(merge);
      const other = bundle.keys.find((k) => k.kid !== kid);
      expect(other, 'a second key in the bundle').to.not.equal(undefined);
      bundle.keys = bundle.keys.map((k) => (k.kid === kid ? { ...k, x: other!.x } : k));
      const report = await expectDetected(original, { bundle, hash: merge.hash, eventID: merge.payload.eventID as string, check: 'key', message: /thumbprint/ }, 'swapped-x');
      expect(checksOf(reportFor(report, merge.hash))).to.include('signature');
    });

    it('when a listed event hash is changed, then the hash check fails', async () => {
      const original = await roastBundle();
      const bundle = clone(original);
      const merge = entryOfStep(bundle, 'merge');
      const changed = `${merge.hash.slice(0, -1)}${merge.hash.endsWith('0') ? '1' : '0'}`;
      bundle.events[merge.index] = { hash: changed, jws: merge.jws };
      await expectDetected(original, { bundle, hash: changed, eventID: merge.payload.eventID as string, check: 'hash', message: new RegExp(`hashes to ${merge.hash}`) }, 'hash');
    });

    it('when an event is removed from the bundle, then the event whose prev names it fails the prev check', async () => {
      const original = await roastBundle();
      const bundle = clone(original);
      const merge = entryOfStep(bundle, 'merge');
      const removed = (merge.payload['ft:prev'] as string[])[0]!;
      expect(bundle.events.map((e) => e.hash)).to.include(removed);
      bundle.events = bundle.events.filter((e) => e.hash !== removed);
      await expectDetected(original, { bundle, hash: merge.hash, eventID: merge.payload.eventID as string, check: 'prev', message: new RegExp(`${removed} is missing`) }, 'removed');
    });

    it('when an event’s JWS is listed under the hash of one of its ancestors, then the report names a cycle in the event graph', async () => {
      const original = await roastBundle();
      const bundle = clone(original);
      const merge = entryOfStep(bundle, 'merge');
      const ancestor = (merge.payload['ft:prev'] as string[])[0]!;
      const index = bundle.events.findIndex((e) => e.hash === ancestor);
      expect(index).to.be.greaterThan(-1);
      bundle.events[index] = { hash: ancestor, jws: merge.jws };
      await expectDetected(original, { bundle, hash: ancestor, eventID: merge.payload.eventID as string, check: 'hash', bundleError: /cycle/ }, 'cycle');
    });

    it('when a valid event of another cooperative’s lot is appended with its key, then it fails the ancestry check', async () => {
      const original = await roastBundle();
      const tea = (await lotsOf(await h.login('other-coop@demo.test'))).find((l) => l.published);
      expect(tea, 'the tea coop’s published lot').to.not.equal(undefined);
      const teaBundle = await publicBundle(tea!.id);
      expect((await verifyBundle(clone(teaBundle))).valid, 'the tea bundle verifies').to.equal(true);
      // The tea plot's registration: a root event (no prev), so ancestry is the only thing wrong with it here.
      const injected = teaBundle.events.find((e) => isPlotRegistration(payloadOf(e)));
      expect(injected, 'the tea plot registration').to.not.equal(undefined);
      expect(payloadOf(injected!)['ft:prev']).to.deep.equal([]);
      const bundle = clone(original);
      bundle.events.push(injected!);
      bundle.keys.push(...teaBundle.keys.filter((k) => k.kid === kidOf(injected!) && !bundle.keys.some((b) => b.kid === k.kid)));
      // The same log, the same checkpoint: the injected event's inclusion proof holds, so only its ancestry fails.
      expect(teaBundle.log.checkpoint).to.equal(original.log.checkpoint);
      bundle.log.proofs.push(teaBundle.log.proofs.find((p) => p.hash === injected!.hash)!);
      const report = await expectDetected(
        original,
        { bundle, hash: injected!.hash, eventID: payloadOf(injected!).eventID as string, check: 'ancestry', message: /not part of this lot/ },
        'injected',
      );
      expect(checksOf(reportFor(report, injected!.hash))).to.deep.equal(['ancestry']);
      expect(report.events.filter((e) => !e.valid)).to.have.length(1);
    });

    it('when an event’s inclusion proof is altered, then that event fails the log check', async () => {
      const original = await roastBundle();
      const bundle = clone(original);
      const proof = bundle.log.proofs.find((p) => p.hashes.length > 0)!;
      proof.hashes[0] = proof.hashes[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
      const entry = bundle.events.find((e) => e.hash === proof.hash)!;
      await expectDetected(original, { bundle, hash: proof.hash, eventID: payloadOf(entry).eventID as string, check: 'log', message: /does not lead to the checkpoint/ }, 'log-proof');
    });

    it('when the log checkpoint is altered (a larger tree size), then its signature fails and no event counts as logged', async () => {
      const original = await roastBundle();
      const bundle = clone(original);
      bundle.log.checkpoint = bundle.log.checkpoint.replace(/\n(\d+)\n/, (_m, n: string) => `\n${Number(n) + 1}\n`);
      const entry = bundle.events[0]!;
      await expectDetected(
        original,
        { bundle, hash: entry.hash, eventID: payloadOf(entry).eventID as string, check: 'log', message: /no valid checkpoint/, bundleError: /log checkpoint: the checkpoint’s signature does not verify/ },
        'log-checkpoint',
      );
    });

    it('when a valid bundle is checked against another log key (--log-key), then it is invalid; against the log’s own key it is valid', async () => {
      const bundle = await roastBundle();
      const other = await logSectionFor([bundle.events[0]!.hash]);
      const file = writeTemp('log-key.json', bundle);
      const wrong = runCli([file, '--log-key', other.verifierKey]);
      expect(wrong.status, wrong.stdout).to.equal(1);
      expect(wrong.stdout).to.match(/log checkpoint: the checkpoint is not signed by/);
      const vkey = (await request(h.app).get('/api/v1/log/vkey').expect(200)).text.trim();
      const right = runCli([file, '--log-key', vkey]);
      expect(right.status, right.stdout + right.stderr).to.equal(0);
      expect(right.stdout).to.match(/all in log trace\.test\/log at tree size \d+/);
      const report = await verifyBundle(bundle, { trustedLogKey: vkey });
      expect(report.checkpoint?.treeSize).to.be.at.least(Math.max(...bundle.log.proofs.map((p) => p.leafIndex)) + 1);
    });
  });

  describe('signing keys', () => {
    const activeKid = async (auth: string): Promise<string> => {
      const res = await get('/api/v1/keys', auth).expect(200);
      const active = (res.body.items as PublishedKey[]).filter((k) => k.status === 'active');
      expect(active).to.have.length(1);
      return active[0]!.kid;
    };

    it('when the coop rotates its key between two steps, then the lot’s bundle verifies, its events are signed by both kids and the JWKS shows the old key rotated and the new one active', async () => {
      const coop = await h.login('coop@demo.test');
      const lotId = await newCoopLot(coop);
      const before = await addStep(lotId, 'drying', 30, coop);
      const oldKid = await activeKid(coop);

      const rotated = await post('/api/v1/keys/rotate', {}, coop);
      expect(rotated.status, JSON.stringify(rotated.body)).to.equal(201);
      const newKey = rotated.body as PublishedKey;
      expect(newKey.kid).to.be.a('string').and.not.equal(oldKid);
      expect(newKey.status).to.equal('active');
      expect(await activeKid(coop)).to.equal(newKey.kid);

      const after = await addStep(lotId, 'hulling', 20, coop);
      const bundle = await privateBundle(lotId, coop);
      const report = await verifyBundle(bundle);
      expect(report.valid, JSON.stringify(report)).to.equal(true);
      expect(kidOf(entryByEventId(bundle, before))).to.equal(oldKid);
      expect(kidOf(entryByEventId(bundle, after))).to.equal(newKey.kid);
      expect(new Set(bundle.events.map(kidOf))).to.have.property('size', 2);
      expect(bundle.keys.map((k) => k.kid)).to.have.members([oldKid, newKey.kid]);

      const jwks = await get('/.well-known/jwks.json').expect(200);
      const keys = jwks.body.keys as PublishedKey[];
      const old = keys.find((k) => k.kid === oldKid);
      const current = keys.find((k) => k.kid === newKey.kid);
      expect(old).to.include({ status: 'rotated', revokedAt: null });
      expect(old!.validTo).to.be.a('string');
      expect(old!.validTo).to.equal(current!.validFrom);
      expect(current).to.include({ status: 'active', validTo: null, revokedAt: null });
    });

    it('when the current key is revoked from a time between two steps, then the later step fails the key check, the earlier events still pass, a new key is active and a step added afterwards verifies', async () => {
      const coop = await h.login('coop@demo.test');
      const lotId = await newCoopLot(coop);
      const first = await addStep(lotId, 'drying', 30, coop);
      await sleep(20);
      const effectiveAt = new Date().toISOString();
      await sleep(20);
      const second = await addStep(lotId, 'hulling', 20, coop);
      const kid = await activeKid(coop);

      const revoked = await post(`/api/v1/keys/${kid}/revoke`, { effectiveAt }, coop);
      expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);
      expect(revoked.body).to.include({ kid, status: 'revoked', revokedAt: effectiveAt });

      const bundle = await privateBundle(lotId, coop);
      expect(bundle.events.map(kidOf).every((k) => k === kid), 'all events signed by the revoked key').to.equal(true);
      const report = await verifyBundle(bundle);
      expect(report.valid).to.equal(false);
      for (const event of report.events) {
        const recordTime = Date.parse(payloadOf(entryByEventId(bundle, event.eventID!)).recordTime as string);
        if (recordTime >= Date.parse(effectiveAt)) {
          expect(checksOf(event), `event ${event.eventID} recorded after the revocation`).to.deep.equal(['key']);
          expect(event.failures[0]!.message).to.match(/revoked/);
        } else {
          expect(event.valid, `event ${event.eventID} recorded before the revocation: ${JSON.stringify(event.failures)}`).to.equal(true);
        }
      }
      expect(reportFor(report, entryByEventId(bundle, second).hash).valid).to.equal(false);
      expect(reportFor(report, entryByEventId(bundle, first).hash).valid).to.equal(true);
      expect(report.events.filter((e) => e.valid).length, 'the plot, harvest and first step').to.equal(3);

      const keys = (await get('/api/v1/keys', coop).expect(200)).body.items as PublishedKey[];
      const active = keys.filter((k) => k.status === 'active');
      expect(active).to.have.length(1);
      expect(active[0]!.kid).to.not.equal(kid);
      expect(keys.find((k) => k.kid === kid)).to.include({ status: 'revoked', revokedAt: effectiveAt });

      const third = await addStep(lotId, 'sorting', 10, coop);
      const later = await privateBundle(lotId, coop);
      const thirdEntry = entryByEventId(later, third);
      expect(kidOf(thirdEntry)).to.equal(active[0]!.kid);
      const thirdReport = reportFor(await verifyBundle(later), thirdEntry.hash);
      expect(thirdReport.valid, JSON.stringify(thirdReport.failures)).to.equal(true);
    });

    it('when an already revoked key is revoked again, then it answers 409', async () => {
      const coop = await h.login('coop@demo.test');
      const kid = await activeKid(coop);
      expect((await post(`/api/v1/keys/${kid}/revoke`, {}, coop)).status).to.equal(200);
      const again = await post(`/api/v1/keys/${kid}/revoke`, {}, coop);
      expect(again.status, JSON.stringify(again.body)).to.equal(409);
      expect(again.headers['content-type']).to.match(PROBLEM);
    });

    it('when a revocation is to take effect in the future, then it answers 400 at effectiveAt and the key stays active', async () => {
      const coop = await h.login('coop@demo.test');
      const kid = await activeKid(coop);
      const res = await post(`/api/v1/keys/${kid}/revoke`, { effectiveAt: new Date(Date.now() + 3_600_000).toISOString() }, coop);
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect((res.body.errors as Array<{ path: string }>).map((e) => e.path)).to.include('effectiveAt');
      expect(await activeKid(coop)).to.equal(kid);
    });

    it('when a farmer revokes their organization’s key, then it answers 403 and the key stays active', async () => {
      const farmer = await h.login('farmer@demo.test');
      const kid = await activeKid(farmer);
      const res = await post(`/api/v1/keys/${kid}/revoke`, {}, farmer);
      expect(res.status, JSON.stringify(res.body)).to.equal(403);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(await activeKid(farmer)).to.equal(kid);
    });

    it('when another cooperative’s admin revokes the coop’s key, then it answers 404 and the key stays active', async () => {
      const coop = await h.login('coop@demo.test');
      const kid = await activeKid(coop);
      const res = await post(`/api/v1/keys/${kid}/revoke`, {}, await h.login('other-coop@demo.test'));
      expect(res.status, JSON.stringify(res.body)).to.equal(404);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(await activeKid(coop)).to.equal(kid);
    });

    it('when the JWKS is fetched, then every key is a public Ed25519 JWK whose kid is its RFC 7638 thumbprint, served as application/jwk-set+json', async () => {
      const res = await get('/.well-known/jwks.json');
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^application\/jwk-set\+json/);
      const keys = (res.body as { keys: Array<PublishedKey & { d?: unknown }> }).keys;
      expect(keys.length).to.be.greaterThan(3);
      for (const key of keys) {
        expect(key).to.include({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
        expect(key.x).to.be.a('string').and.match(/^[A-Za-z0-9_-]{43}$/);
        expect(key).to.not.have.property('d');
        expect(key.kid).to.equal(await calculateJwkThumbprint({ kty: key.kty, crv: key.crv, x: key.x }));
      }
      expect(JSON.stringify(res.body)).to.not.include('"d"');
    });

    it('when each event JWS of a lot is checked with jose against the JWKS, then every one verifies as EdDSA with its kid, and its payload is the event’s canonical bytes', async () => {
      const jwks = createLocalJWKSet((await get('/.well-known/jwks.json')).body as JSONWebKeySet);
      const bundle = await publicBundle((await publishedRoastLot()).id);
      expect(bundle.events.length).to.be.greaterThan(5);
      for (const { hash, jws } of bundle.events) {
        const { payload, protectedHeader } = await compactVerify(jws, jwks);
        expect(protectedHeader.alg).to.equal('EdDSA');
        expect(protectedHeader.kid).to.be.a('string');
        const text = new TextDecoder().decode(payload);
        expect(canonicalize(JSON.parse(text))).to.equal(text);
        expect(createHash('sha256').update(payload).digest('hex')).to.equal(hash);
      }
    });

    it('when the signing keys are read from the database file, then each private key is encrypted, opens only with the configured secret and matches its public key', async () => {
      const db = new Database(path.join(h.dir, 'trace.db'), { readonly: true, fileMustExist: true });
      let rows: Array<{ kid: string; public_jwk: string; encrypted_private_key: string }>;
      try {
        rows = db.prepare('SELECT kid, public_jwk, encrypted_private_key FROM signing_keys').all() as typeof rows;
      } finally {
        db.close();
      }
      expect(rows.length).to.be.greaterThan(3);
      const right = new KeyWrap(h.config.secrets.KEY_ENCRYPTION_KEY);
      const wrong = new KeyWrap('another-secret-of-at-least-32-characters!');
      for (const row of rows) {
        expect(right.isCurrent(row.encrypted_private_key), row.encrypted_private_key.slice(0, 16)).to.equal(true);
        expect(row.encrypted_private_key).to.not.include('PRIVATE KEY');
        expect(() => wrong.unwrap(row.kid, row.encrypted_private_key)).to.throw();
        const privateKey = right.unwrap(row.kid, row.encrypted_private_key);
        expect(privateKey.asymmetricKeyType).to.equal('ed25519');
        const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' });
        expect(publicJwk.x).to.equal((JSON.parse(row.public_jwk) as { x: string }).x);
      }
    });
  });

  describe('POST /api/v1/verify', () => {
    it('when the body is a JSON array, then it answers 400 problem+json', async () => {
      const res = await request(h.app).post('/api/v1/verify').set('Content-Type', 'application/json').send('[{"format":"farm-trace/provenance-bundle@1"}]');
      expect(res.status).to.equal(400);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(res.body.status).to.equal(400);
    });

    it('when the body is over 20 MB, then it answers 413 problem+json', async () => {
      const body = `{"format":"farm-trace/provenance-bundle@1","pad":"${'x'.repeat(21 * 1024 * 1024)}"}`;
      const res = await request(h.app).post('/api/v1/verify').set('Content-Type', 'application/json').send(body);
      expect(res.status).to.equal(413);
      expect(res.headers['content-type']).to.match(PROBLEM);
    });

    it('when the body is an object that is not a bundle, then it answers 200 with valid false and a bundle-level error', async () => {
      const res = await post('/api/v1/verify', { hello: 'world' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.valid).to.equal(false);
      expect(res.body.errors).to.be.an('array').that.is.not.empty;
      expect((res.body.errors as string[]).join('\n')).to.match(/format/);
      expect(res.body.events).to.deep.equal([]);
    });
  });

  describe('verify CLI', () => {
    it('when the bundle file cannot be read, then it exits 1 with a message naming the file', async () => {
      const missing = path.join(h.dir, 'no-such-bundle.json');
      const cli = runCli([missing]);
      expect(cli.status).to.equal(1);
      expect(cli.stderr).to.include('cannot read');
      expect(cli.stderr).to.include(missing);
    });

    it('when --jwks names a key set without the keys that signed the bundle, then it exits 1 naming the unknown key', async () => {
      const bundle = await roastBundle();
      const kids = new Set(bundle.events.map(kidOf));
      const jwks = (await get('/.well-known/jwks.json').expect(200)).body as { keys: PublishedKey[] };
      const unrelated = { keys: jwks.keys.filter((k) => !kids.has(k.kid)) };
      expect(unrelated.keys).to.not.be.empty;
      const file = writeTemp('bundle.json', bundle);

      const trusted = runCli([file, '--jwks', writeTemp('jwks.json', jwks)]);
      expect(trusted.status, trusted.stdout + trusted.stderr).to.equal(0);

      const cli = runCli([file, '--jwks', writeTemp('unrelated-jwks.json', unrelated)]);
      expect(cli.status, cli.stdout + cli.stderr).to.equal(1);
      expect(cli.stdout).to.match(/^INVALID: /);
      expect(cli.stdout).to.match(/key: unknown key /);
      const head = bundle.events.find((e) => e.hash === bundle.heads[0]);
      expect(cliBlockFor(cli.stdout, payloadOf(head!).eventID as string)).to.include(`key: unknown key ${kidOf(head!)}`);
    });

    it('when no bundle file is given, then it exits 2 with the usage', () => {
      const cli = runCli([]);
      expect(cli.status).to.equal(2);
      expect(cli.stderr).to.match(/usage:/);
    });
  });

  // A sanity check of the helper the tamper tests rely on: the bundle's hashes are SHA-256 of the JWS payload bytes.
  it('when a bundle is served, then each listed hash is the SHA-256 of its JWS payload bytes', async () => {
    const bundle = await roastBundle();
    for (const e of bundle.events) {
      const payload = Buffer.from(e.jws.split('.')[1]!, 'base64url');
      expect(createHash('sha256').update(payload).digest('hex')).to.equal(e.hash);
      expect(decodeJws(e.jws).header.alg).to.equal('EdDSA');
    }
  });
});
