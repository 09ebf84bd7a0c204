import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import jsQRModule from 'jsqr';
import sharp from 'sharp';
import request from 'supertest';
import { qrPng } from '../src/qr/qr-code.js';
import { startHarness, type Harness } from './support/harness.js';
import { withRawBody } from './support/raw-body.js';

// jsqr is CommonJS whose module.exports is the function; its typings describe an ES default export.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;
const PROBLEM = /application\/problem\+json/;
const SHA256 = /^[0-9a-f]{64}$/;

interface Lot {
  id: string;
  orgId: string;
  published: boolean;
  digitalLink: string;
  gtin: string | null;
  lotNumber: string;
}

interface Org {
  id: string;
  slug: string;
  type: string;
  logoSha256: string | null;
}

/** A wide, non-square logo in a colour no QR module has: a green ellipse on transparency. */
const LOGO_GREEN = { r: 27, g: 94, b: 32 };
const logoPng = () =>
  sharp(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><ellipse cx="200" cy="150" rx="200" ry="150" fill="#1b5e20"/></svg>'))
    .png()
    .toBuffer();

async function decode(png: Buffer) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const code = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height);
  return { code, data, width: info.width, channels: info.channels };
}

/**
 * The error-correction level written in the code's format information: bits 14 and 13 of the
 * 15-bit format word, stored at row 8, columns 0 and 1 of the symbol, masked with 0x5412.
 */
async function errorCorrectionOf(png: Buffer): Promise<string> {
  const { code, data, width, channels } = await decode(png);
  if (!code) throw new Error('the code does not decode');
  const modules = 17 + 4 * code.version;
  const modulePx = width / (modules + 8);
  const dark = (row: number, col: number): number => {
    const x = Math.floor((4 + col + 0.5) * modulePx);
    const y = Math.floor((4 + row + 0.5) * modulePx);
    return data[(y * width + x) * channels]! < 128 ? 1 : 0;
  };
  const bits = ((dark(8, 0) ^ 1) << 1) | dark(8, 1);
  return ({ 1: 'L', 0: 'M', 3: 'Q', 2: 'H' } as Record<number, string>)[bits]!;
}

const upload = (h: Harness, orgId: string, auth: string | null, bytes: Buffer, name: string) => {
  const req = request(h.app).put(`/api/v1/organizations/${orgId}/logo`);
  if (auth) req.set('Authorization', auth);
  return req.attach('file', bytes, name);
};

describe('Logos on QR codes', () => {
  let h: Harness;
  let coop: string;
  let coopOrg: Org;
  let lots: Lot[];
  beforeEach(async () => {
    h = await startHarness({ seed: true });
    coop = await h.login('coop@demo.test');
    coopOrg = ((await request(h.app).get('/api/v1/organizations?limit=100').set('Authorization', coop)).body.items as Org[]).find((o) => o.type === 'cooperative')!;
    lots = (await request(h.app).get('/api/v1/batches?limit=100').set('Authorization', coop)).body.items;
    // The demo gives the cooperative a logo; these tests start from none.
    await request(h.app).delete(`/api/v1/organizations/${coopOrg.id}/logo`).set('Authorization', coop).expect(204);
  });
  afterEach(() => h.close());

  /** A lot the cooperative owns, published, with a GTIN: its codes are public. */
  const coopLot = () => lots.find((l) => l.orgId === coopOrg.id && l.published && l.gtin)!;

  describe('uploading a logo', () => {
    it('when the cooperative’s admin uploads a PNG named logo.txt, then the content decides: 200, and a 256 px square PNG without metadata is stored under its hash', async () => {
      const res = await upload(h, coopOrg.id, coop, await logoPng(), 'logo.txt').expect(200);
      expect(res.body.id).to.equal(coopOrg.id);
      expect(res.body.logoSha256).to.match(SHA256);
      const stored = readFileSync(path.join(h.dir, 'blobs', 'logos', res.body.logoSha256.slice(0, 2), res.body.logoSha256));
      const meta = await sharp(stored).metadata();
      expect([meta.format, meta.width, meta.height]).to.deep.equal(['png', 256, 256]);
      expect(meta.exif ?? null).to.equal(null);
      const again = await request(h.app).get(`/api/v1/organizations/${coopOrg.id}`).set('Authorization', coop).expect(200);
      expect(again.body.logoSha256).to.equal(res.body.logoSha256);
    });

    it('when a JPEG or WebP is uploaded, then it is accepted and normalized to the same kind of PNG', async () => {
      for (const format of ['jpeg', 'webp'] as const) {
        const bytes = await sharp(await logoPng()).flatten({ background: '#ffffff' })[format]().toBuffer();
        const res = await upload(h, coopOrg.id, coop, bytes, `logo.${format}`).expect(200);
        expect(res.body.logoSha256, format).to.match(SHA256);
      }
    });

    it('when a text file is named logo.png, or a GIF is sent, then 415 naming file and the organization keeps no logo', async () => {
      const text = Buffer.from('this is not an image at all\n'.repeat(10));
      const gif = await sharp(await logoPng()).gif().toBuffer();
      for (const [bytes, name] of [[text, 'logo.png'], [gif, 'logo.gif']] as const) {
        const res = await upload(h, coopOrg.id, coop, bytes, name).expect(415);
        expect(res.headers['content-type'], name).to.match(PROBLEM);
        expect(res.body.errors[0].path, name).to.equal('file');
      }
      expect((await request(h.app).get(`/api/v1/organizations/${coopOrg.id}`).set('Authorization', coop)).body.logoSha256).to.equal(null);
    });

    it('when the image has more pixels than the limit, then 413', async () => {
      const small = await startHarness({ seed: true, env: { MEDIA_MAX_PIXELS: '1000000' } });
      try {
        const auth = await small.login('coop@demo.test');
        const big = await sharp({ create: { width: 1200, height: 1000, channels: 3, background: '#1b5e20' } }).png().toBuffer();
        const res = await upload(small, coopOrg.id, auth, big, 'logo.png').expect(413);
        expect(res.body.errors[0].path).to.equal('file');
      } finally {
        await small.close();
      }
    });

    it('when the multipart body holds no file, then 400 naming file', async () => {
      const res = await request(h.app)
        .put(`/api/v1/organizations/${coopOrg.id}/logo`)
        .set('Authorization', coop)
        .set('Content-Type', 'multipart/form-data; boundary=empty')
        .send('--empty--\r\n')
        .expect(400);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(res.body.errors[0].path).to.equal('file');
    });

    it('when a member farmer (not an admin) uploads, then 403; without a token 401; from another cooperative 404', async () => {
      const bytes = await logoPng();
      await upload(h, coopOrg.id, await h.login('farmer@demo.test'), bytes, 'logo.png').expect(403);
      await upload(h, coopOrg.id, null, bytes, 'logo.png').expect(401);
      const res = await upload(h, coopOrg.id, await h.login('other-coop@demo.test'), bytes, 'logo.png').expect(404);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect((await request(h.app).get(`/api/v1/organizations/${coopOrg.id}`).set('Authorization', coop)).body.logoSha256).to.equal(null);
    });

    it('when the logo is removed, then the organization has none and logo=1 answers 409 again', async () => {
      await upload(h, coopOrg.id, coop, await logoPng(), 'logo.png').expect(200);
      await request(h.app).get(`/api/v1/batches/${coopLot().id}/qr.png?logo=1`).expect(200);
      await request(h.app).delete(`/api/v1/organizations/${coopOrg.id}/logo`).set('Authorization', coop).expect(204);
      await request(h.app).get(`/api/v1/batches/${coopLot().id}/qr.png?logo=1`).expect(409);
    });
  });

  describe('drawing it', () => {
    it('when logo=1 is asked and the lot’s owner has no logo, then 409 problem naming logo', async () => {
      const res = await request(h.app).get(`/api/v1/batches/${coopLot().id}/qr.png?logo=1`).expect(409);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(res.body.errors[0].path).to.equal('logo');
      await request(h.app).get(`/api/v1/batches/${coopLot().id}/qr.svg?logo=1`).expect(409);
    });

    it('when logo=1 is asked with ecc=L, then the PNG decodes to the exact Digital Link, is encoded at H, and shows the logo in its centre', async () => {
      await upload(h, coopOrg.id, coop, await logoPng(), 'logo.png').expect(200);
      for (const size of [300, 512, 1024]) {
        const res = await withRawBody(request(h.app).get(`/api/v1/batches/${coopLot().id}/qr.png?logo=1&ecc=L&size=${size}`)).expect(200);
        expect(res.headers['content-type']).to.equal('image/png');
        const png = res.body as Buffer;
        const { code, data, width, channels } = await decode(png);
        expect(code?.data, `size ${size}`).to.equal(coopLot().digitalLink);
        expect(width).to.equal(size);
        expect(await errorCorrectionOf(png), `size ${size}`).to.equal('H');
        const centre = (Math.floor(width / 2) * width + Math.floor(width / 2)) * channels;
        expect([data[centre], data[centre + 1], data[centre + 2]], `size ${size}`).to.deep.equal([LOGO_GREEN.r, LOGO_GREEN.g, LOGO_GREEN.b]);
      }
      // Without the logo, the level asked for is kept.
      const plain = await withRawBody(request(h.app).get(`/api/v1/batches/${coopLot().id}/qr.png?ecc=L`)).expect(200);
      expect(await errorCorrectionOf(plain.body as Buffer)).to.equal('L');
    });

    it('when the logo is drawn, then its white pad covers at most 20% of the symbol', async () => {
      await upload(h, coopOrg.id, coop, await logoPng(), 'logo.png').expect(200);
      const res = await withRawBody(request(h.app).get(`/api/v1/batches/${coopLot().id}/qr.png?logo=1&size=1024`)).expect(200);
      const { code, data, width, channels } = await decode(res.body as Buffer);
      const modulePx = width / (17 + 4 * code!.version + 8);
      // Walk right from the centre along the middle row, through the logo and the white pad, to the first dark pixel:
      // light modules next to the pad can only make the measured pad larger, so this bounds it from above.
      const row = Math.floor(width / 2);
      let x = Math.floor(width / 2);
      const light = (px: number) => data[(row * width + px) * channels]! > 200 && data[(row * width + px) * channels + 1]! > 200;
      while (!light(x)) x++;
      while (light(x)) x++;
      const padModules = Math.round((2 * (x - width / 2)) / modulePx);
      const symbol = 17 + 4 * code!.version;
      expect(padModules).to.be.greaterThan(4);
      expect((padModules * padModules) / (symbol * symbol)).to.be.at.most(0.2);
    });

    it('when the SVG is asked with logo=1, then it embeds the stored logo as a data: PNG image, and still decodes', async () => {
      const { body } = await upload(h, coopOrg.id, coop, await logoPng(), 'logo.png').expect(200);
      const res = await withRawBody(request(h.app).get(`/api/v1/batches/${coopLot().id}/qr.svg?logo=1`)).expect(200);
      expect(res.headers['content-type']).to.match(/^image\/svg\+xml/);
      const svg = (res.body as Buffer).toString('utf8');
      const image = /<image [^>]*href="data:image\/png;base64,([A-Za-z0-9+/=]+)"/.exec(svg);
      expect(image, 'an <image> with a data: PNG').to.not.equal(null);
      const stored = readFileSync(path.join(h.dir, 'blobs', 'logos', body.logoSha256.slice(0, 2), body.logoSha256));
      expect(Buffer.compare(Buffer.from(image![1]!, 'base64'), stored)).to.equal(0);
      const rendered = await sharp(Buffer.from(svg)).resize(800).png().toBuffer();
      expect((await decode(rendered)).code?.data).to.equal(coopLot().digitalLink);
      expect(await errorCorrectionOf(rendered)).to.equal('H');
    });

    it('when a member household without a logo owns the lot, then its cooperative’s logo is drawn', async () => {
      const household = lots.find((l) => l.orgId !== coopOrg.id && !l.published)!;
      await request(h.app).get(`/api/v1/batches/${household.id}/qr.png?logo=1`).set('Authorization', coop).expect(409);
      await upload(h, coopOrg.id, coop, await logoPng(), 'logo.png').expect(200);
      const res = await withRawBody(request(h.app).get(`/api/v1/batches/${household.id}/qr.png?logo=1`).set('Authorization', coop)).expect(200);
      expect((await decode(res.body as Buffer)).code?.data).to.equal(household.digitalLink);
    });

    it('when the logo is replaced, then the code is rendered anew (the cache is keyed by the logo) with a new ETag', async () => {
      await upload(h, coopOrg.id, coop, await logoPng(), 'logo.png').expect(200);
      const url = `/api/v1/batches/${coopLot().id}/qr.png?logo=1&size=400`;
      const first = await withRawBody(request(h.app).get(url)).expect(200);
      const again = await withRawBody(request(h.app).get(url)).expect(200);
      expect(again.headers.etag).to.equal(first.headers.etag);
      const red = await sharp({ create: { width: 120, height: 120, channels: 3, background: '#c62828' } }).png().toBuffer();
      await upload(h, coopOrg.id, coop, red, 'red.png').expect(200);
      const replaced = await withRawBody(request(h.app).get(url)).expect(200);
      expect(replaced.headers.etag).to.not.equal(first.headers.etag);
      expect((await decode(replaced.body as Buffer)).code?.data).to.equal(coopLot().digitalLink);
    });

    it('when logo is neither 0 nor 1, then 400 names logo', async () => {
      const res = await request(h.app).get(`/api/v1/batches/${coopLot().id}/qr.png?logo=yes`).expect(400);
      expect(res.body.errors[0].path).to.equal('logo');
    });
  });
});

describe('The logo pad', () => {
  it('when links of many lengths (versions 5 to 17) get a logo, then each code still decodes (a plain 20% area rule breaks some versions)', async () => {
    // A solid black logo: the pad's modules are then as wrong as they can be for a decoder.
    const black = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#000000' } }).png().toBuffer();
    const logo = { sha256: 'a'.repeat(64), png: async () => black };
    const versions = new Set<number>();
    // Lengths spread over versions 5 to 17, including the versions where a centred square hits few blocks hard (13, 15).
    for (const extra of [0, 30, 60, 90, 120, 141, 165, 195, 225, 255, 285, 315]) {
      const link = `https://truyxuat.example.vn/01/08930000000022/10/KN25R-A?x=${'Q'.repeat(extra)}`;
      const { code } = await decode(await qrPng(link, 'M', 1000, logo));
      expect(code?.data, `${link.length} characters`).to.equal(link);
      versions.add(code!.version);
    }
    expect(Math.min(...versions)).to.be.at.most(6);
    expect(Math.max(...versions)).to.be.at.least(17);
  });
});
