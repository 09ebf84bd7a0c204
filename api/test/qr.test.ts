import { expect } from 'chai';
import jsQRModule from 'jsqr';
import sharp from 'sharp';
import request from 'supertest';
import { startHarness, type Harness } from './support/harness.js';
import { withRawBody } from './support/raw-body.js';

// jsqr is CommonJS whose module.exports is the function; its typings describe an ES default export.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

interface Lot {
  id: string;
  published: boolean;
  digitalLink: string;
  gtin: string | null;
}


async function decode(png: Buffer) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const code = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height);
  return { code, width: info.width, height: info.height, data, channels: info.channels };
}

describe('QR codes of lots', () => {
  let h: Harness;
  let lots: Lot[];
  let coop: string;
  before(async () => {
    h = await startHarness({ seed: true });
    coop = await h.login('coop@demo.test');
    lots = (await request(h.app).get('/api/v1/batches?limit=100').set('Authorization', coop)).body.items;
  });
  after(() => h.close());

  const published = () => lots.find((l) => l.published && l.gtin)!;
  const unpublished = () => lots.find((l) => !l.published)!;

  it('when a published lot’s PNG is fetched without a token, then it decodes back to the lot’s Digital Link', async () => {
    const res = await withRawBody(request(h.app).get(`/api/v1/batches/${published().id}/qr.png`)).expect(200);
    expect(res.headers['content-type']).to.equal('image/png');
    const { code, width } = await decode(res.body as Buffer);
    expect(code?.data).to.equal(published().digitalLink);
    expect(published().digitalLink).to.match(/^http:\/\/trace\.test\/01\/\d{14}\/10\//);
    expect(width).to.equal(512);
  });

  it('when size and ecc are given, then the PNG has that width, still decodes, and keeps a quiet zone of at least 4 modules', async () => {
    for (const [size, ecc] of [[64, 'L'], [300, 'Q'], [2048, 'H']] as const) {
      const res = await withRawBody(request(h.app).get(`/api/v1/batches/${published().id}/qr.png?size=${size}&ecc=${ecc}`)).expect(200);
      const { code, width, data, channels } = await decode(res.body as Buffer);
      expect(width, `size ${size}`).to.equal(size);
      if (size >= 300) expect(code?.data, `size ${size}`).to.equal(published().digitalLink);
      if (!code) continue;
      const modules = 17 + 4 * code.version + 8;
      const modulePx = width / modules;
      const row = Math.floor(code.location.topLeftCorner.y);
      let firstDark = 0;
      while (firstDark < width && data[(row * width + firstDark) * channels]! > 128) firstDark++;
      expect(firstDark / modulePx, `quiet zone at size ${size}`).to.be.at.least(3.9);
    }
  });

  it('when the SVG is fetched, then it is an SVG whose path draws the code with a 4-module margin', async () => {
    const res = await withRawBody(request(h.app).get(`/api/v1/batches/${published().id}/qr.svg`)).expect(200);
    expect(res.headers['content-type']).to.match(/^image\/svg\+xml/);
    const svg = (res.body as Buffer).toString('utf8');
    expect(svg).to.match(/^<svg/);
    const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
    expect(viewBox).to.not.equal(null);
    const rendered = await sharp(Buffer.from(svg)).resize(600).png().toBuffer();
    expect((await decode(rendered)).code?.data).to.equal(published().digitalLink);
  });

  it('when the same code is asked twice, then the bytes and ETag are the same and it is cacheable', async () => {
    const a = await withRawBody(request(h.app).get(`/api/v1/batches/${published().id}/qr.png?size=256`)).expect(200);
    const b = await withRawBody(request(h.app).get(`/api/v1/batches/${published().id}/qr.png?size=256`)).expect(200);
    expect(Buffer.compare(a.body as Buffer, b.body as Buffer)).to.equal(0);
    expect(a.headers.etag).to.equal(b.headers.etag);
    expect(a.headers['cache-control']).to.contain('max-age');
  });

  it('when size or ecc is out of range, then 400 names the parameter', async () => {
    for (const [query, field] of [['size=63', 'size'], ['size=2049', 'size'], ['size=abc', 'size'], ['ecc=X', 'ecc'], ['colour=red', '(body)']] as const) {
      const res = await request(h.app).get(`/api/v1/batches/${published().id}/qr.png?${query}`).expect(400);
      expect(res.headers['content-type']).to.match(/application\/problem\+json/);
      expect(res.body.errors[0].path, query).to.equal(field);
    }
  });

  it('when a lot is not published, then its QR code is 404 without a token and 200 for its own organization', async () => {
    await request(h.app).get(`/api/v1/batches/${unpublished().id}/qr.png`).expect(404);
    const own = await withRawBody(request(h.app).get(`/api/v1/batches/${unpublished().id}/qr.png`).set('Authorization', coop)).expect(200);
    expect((await decode(own.body as Buffer)).code?.data).to.equal(unpublished().digitalLink);
    const tea = await h.login('other-coop@demo.test');
    await request(h.app).get(`/api/v1/batches/${unpublished().id}/qr.svg`).set('Authorization', tea).expect(404);
  });

  it('when a client asks for more codes a minute than QR_RATE_LIMIT, then 429 problem+json with Retry-After; a fetch with a token is private and counted for its user', async () => {
    const limited = await startHarness({ seed: true, env: { QR_RATE_LIMIT: '2' } });
    try {
      const admin = await limited.login('coop@demo.test');
      const lot = ((await request(limited.app).get('/api/v1/batches?limit=100').set('Authorization', admin)).body.items as Lot[]).find((l) => l.published)!;
      const first = await request(limited.app).get(`/api/v1/batches/${lot.id}/qr.svg`).expect(200);
      expect(first.headers['cache-control']).to.equal('public, max-age=86400');
      expect(first.headers['cross-origin-resource-policy']).to.equal('cross-origin');
      const private_ = await request(limited.app).get(`/api/v1/batches/${lot.id}/qr.svg`).set('Authorization', admin).expect(200);
      expect(private_.headers['cache-control']).to.equal('private, max-age=86400');
      await request(limited.app).get(`/api/v1/batches/${lot.id}/qr.svg?ecc=H`).expect(200);
      const refused = await request(limited.app).get(`/api/v1/batches/${lot.id}/qr.png?size=300`).expect(429);
      expect(refused.headers['content-type']).to.match(/application\/problem\+json/);
      expect(Number(refused.headers['retry-after'])).to.be.greaterThan(0);
      // A logged-in caller is counted on its own, not with everyone behind its address.
      await request(limited.app).get(`/api/v1/batches/${lot.id}/qr.png?size=300`).set('Authorization', admin).expect(200);
    } finally {
      await limited.close();
    }
  });
});
