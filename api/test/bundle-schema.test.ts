import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'chai';
import request from 'supertest';
import { startHarness, type Harness } from './support/harness.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const schema = JSON.parse(readFileSync(new URL('../../docs/provenance-bundle.schema.json', import.meta.url), 'utf8')) as object;

describe('provenance bundle format', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ seed: true });
  });
  after(() => h.close());

  it('when bundles are generated for published and private lots, then each validates against docs/provenance-bundle.schema.json', async () => {
    const validate = addFormats(new Ajv2020({ allErrors: true, strict: true })).compile(schema);
    const coop = await h.login('coop@demo.test');
    const lots = (await request(h.app).get('/api/v1/batches?limit=100').set('Authorization', coop)).body.items as Array<{ id: string; gtin: string | null }>;
    expect(lots.some((l) => l.gtin === null), 'a lot without a GTIN is among them').to.equal(true);
    for (const lot of lots) {
      const bundle = (await request(h.app).get(`/api/v1/batches/${lot.id}/provenance`).set('Authorization', coop).expect(200)).body;
      expect(validate(bundle), JSON.stringify(validate.errors)).to.equal(true);
    }
  });

  it('when a bundle lacks its keys, then the schema rejects it', async () => {
    const validate = addFormats(new Ajv2020({ allErrors: true })).compile(schema);
    const coop = await h.login('coop@demo.test');
    const [lot] = (await request(h.app).get('/api/v1/batches').set('Authorization', coop)).body.items as Array<{ id: string }>;
    const { keys: _keys, ...bundle } = (await request(h.app).get(`/api/v1/batches/${lot!.id}/provenance`).set('Authorization', coop)).body;
    expect(validate(bundle)).to.equal(false);
  });
});
