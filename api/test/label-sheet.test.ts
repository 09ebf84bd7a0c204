import { expect } from 'chai';
import jsQRModule from 'jsqr';
import { PDFParse } from 'pdf-parse';
import sharp from 'sharp';
import request from 'supertest';
import { startHarness, type Harness } from './support/harness.js';
import { withRawBody } from './support/raw-body.js';

// jsqr is CommonJS whose module.exports is the function; its typings describe an ES default export.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;
const PROBLEM = /application\/problem\+json/;
const SCAN_LINE = 'Quét để xem nguồn gốc · Scan to see the origin';

interface Lot {
  id: string;
  orgId: string;
  published: boolean;
  digitalLink: string;
  gtin: string | null;
  lotNumber: string;
  product: string;
}

/** Text of each page, with line breaks and no-break spaces turned into single spaces (labels wrap long lines). */
async function pdfPages(pdf: Buffer): Promise<string[]> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const text = await parser.getText();
    return text.pages.map((p) => p.text.replace(/\s+/g, ' '));
  } finally {
    await parser.destroy();
  }
}

/** The first label of page 1, rendered at 3× and decoded (the grid's first label: 7.25 mm from the left, 12.9 mm from the top, 63.5 × 33.9 mm). */
async function firstLabelCode(pdf: Buffer): Promise<string | null> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const scale = 3;
    const shot = await parser.getScreenshot({ first: 1, scale });
    const px = (mm: number) => Math.round((mm * 72 * scale) / 25.4);
    const label = await sharp(Buffer.from(shot.pages[0]!.data))
      .extract({ left: px(7.25), top: px(12.9), width: px(63.5), height: px(33.9) })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { data, info } = label;
    return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height)?.data ?? null;
  } finally {
    await parser.destroy();
  }
}

const countOf = (text: string, part: string) => text.split(part).length - 1;

describe('Label sheets (A4 PDF)', () => {
  let h: Harness;
  let coop: string;
  let lots: Lot[];
  before(async () => {
    h = await startHarness({ seed: true });
    coop = await h.login('coop@demo.test');
    lots = (await request(h.app).get('/api/v1/batches?limit=100').set('Authorization', coop)).body.items;
  });
  after(() => h.close());

  /** The cooperative's single-origin lot: its GTIN has a product whose Vietnamese name differs from the lot's own text. */
  const productLot = () => lots.find((l) => l.lotNumber === 'EHO-2512-S1')!;
  const noGtinLot = () => lots.find((l) => l.lotNumber === 'EHO-2512-S2')!;
  const sheet = (path: string, auth: string | null = coop) => {
    const req = request(h.app).get(path);
    if (auth) req.set('Authorization', auth);
    return withRawBody(req);
  };

  it('when the cooperative asks for its lot’s sheet, then a streamed A4 PDF of one page carries 24 labels with the product’s Vietnamese name, lot, GTIN and the bilingual scan line', async () => {
    const lot = productLot();
    const res = await sheet(`/api/v1/batches/${lot.id}/labels.pdf`).expect(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['content-disposition']).to.equal('inline; filename="labels-EHO-2512-S1.pdf"');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    expect(pdf.subarray(-8).toString('latin1')).to.contain('%%EOF');
    const pages = await pdfPages(pdf);
    expect(pages).to.have.length(1);
    const page = pages[0]!;
    expect(countOf(page, SCAN_LINE)).to.equal(24);
    expect(page).to.contain('Cà phê nhân Robusta Ea Hồ (đơn nguồn) 1 kg');
    expect(page).to.contain(`Lô / Lot: ${lot.lotNumber}`);
    expect(page).to.contain(`GTIN: ${lot.gtin}`);
  });

  it('when the sheet is printed, then each label’s code decodes back to the lot’s Digital Link', async () => {
    const res = await sheet(`/api/v1/batches/${productLot().id}/labels.pdf?count=3`).expect(200);
    expect(await firstLabelCode(res.body as Buffer)).to.equal(productLot().digitalLink);
  });

  it('when count=25, then there are two pages, the second with one label', async () => {
    const res = await sheet(`/api/v1/batches/${productLot().id}/labels.pdf?count=25`).expect(200);
    const pages = await pdfPages(res.body as Buffer);
    expect(pages.map((p) => countOf(p, SCAN_LINE))).to.deep.equal([24, 1]);
  });

  it('when the lot has no GTIN, then the label names the lot’s own product and prints no GTIN line', async () => {
    const lot = noGtinLot();
    const res = await sheet(`/api/v1/batches/${lot.id}/labels.pdf?count=1`).expect(200);
    const [page] = await pdfPages(res.body as Buffer);
    expect(page).to.contain(lot.product);
    expect(page).to.contain(lot.lotNumber);
    expect(page).to.not.contain('GTIN');
  });

  it('when count is out of range or not a number, then 400 names count', async () => {
    for (const count of ['0', '1001', 'abc', '2.5']) {
      const res = await request(h.app).get(`/api/v1/batches/${productLot().id}/labels.pdf?count=${count}`).set('Authorization', coop).expect(400);
      expect(res.headers['content-type'], count).to.match(PROBLEM);
      expect(res.body.errors[0].path, count).to.equal('count');
    }
  });

  it('when no token is sent, then 401, even for a published lot', async () => {
    const published = lots.find((l) => l.published)!;
    const res = await request(h.app).get(`/api/v1/batches/${published.id}/labels.pdf`).expect(401);
    expect(res.headers['content-type']).to.match(PROBLEM);
  });

  it('when another organization asks for a private lot’s sheet, then 404', async () => {
    const tea = await h.login('other-coop@demo.test');
    const res = await request(h.app).get(`/api/v1/batches/${noGtinLot().id}/labels.pdf`).set('Authorization', tea).expect(404);
    expect(res.headers['content-type']).to.match(PROBLEM);
  });

  it('when logo=1 is asked and the cooperative has a logo, then the labels’ code carries it and still decodes', async () => {
    const own = await startHarness({ seed: true });
    try {
      const auth = await own.login('coop@demo.test');
      const orgs = (await request(own.app).get('/api/v1/organizations?limit=100').set('Authorization', auth)).body.items as Array<{ id: string; type: string }>;
      const logo = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#1b5e20' } }).png().toBuffer();
      await request(own.app).put(`/api/v1/organizations/${orgs.find((o) => o.type === 'cooperative')!.id}/logo`).set('Authorization', auth).attach('file', logo, 'logo.png').expect(200);
      const res = await withRawBody(request(own.app).get(`/api/v1/batches/${productLot().id}/labels.pdf?count=1&logo=1`).set('Authorization', auth)).expect(200);
      expect(await firstLabelCode(res.body as Buffer)).to.equal(productLot().digitalLink);
    } finally {
      await own.close();
    }
  });

  it('when logo=1 is asked and the owner has no logo, then 409 naming logo before any PDF byte is sent', async () => {
    // The demo gives the cooperative a logo: remove it.
    const orgs = (await request(h.app).get('/api/v1/organizations?limit=100').set('Authorization', coop).expect(200)).body.items as Array<{ id: string; type: string }>;
    await request(h.app).delete(`/api/v1/organizations/${orgs.find((o) => o.type === 'cooperative')!.id}/logo`).set('Authorization', coop).expect(204);
    const res = await request(h.app).get(`/api/v1/batches/${productLot().id}/labels.pdf?logo=1`).set('Authorization', coop).expect(409);
    expect(res.headers['content-type']).to.match(PROBLEM);
    expect(res.body.errors[0].path).to.equal('logo');
  });
});
