import { expect } from 'chai';
import request from 'supertest';
import { startHarness, squarePlot, type Harness } from './support/harness.js';

const PROBLEM = /application\/problem\+json/;

type Position = [number, number];

interface FieldError {
  path: string;
  message: string;
}

/**
 * Area (ha) of a small lon/lat-aligned rectangle on the WGS84 ellipsoid, from the meridional and
 * prime-vertical radii of curvature at its mid latitude: an independent check of the service's
 * geodesic area that does not reuse its library.
 */
function ellipsoidRectangleAreaHa(lon0: number, lat0: number, lon1: number, lat1: number): number {
  const a = 6_378_137;
  const f = 1 / 298.257223563;
  const e2 = f * (2 - f);
  const phi = (((lat0 + lat1) / 2) * Math.PI) / 180;
  const w = 1 - e2 * Math.sin(phi) ** 2;
  const meridional = (a * (1 - e2)) / w ** 1.5;
  const primeVertical = a / Math.sqrt(w);
  const rad = Math.PI / 180;
  const north = Math.abs(lat1 - lat0) * rad * meridional;
  const east = Math.abs(lon1 - lon0) * rad * primeVertical * Math.cos(phi);
  return (north * east) / 10_000;
}

/** Corners of a square near Krông Năng with many decimals, closed. */
const PRECISE_RING: Position[] = [
  [108.412345678912, 12.991234567891],
  [108.413245678912, 12.991234567891],
  [108.413245678912, 12.992134567891],
  [108.412345678912, 12.992134567891],
  [108.412345678912, 12.991234567891],
];

/** A ~100 m square's corners (not closed), shifted so each test's geometry is distinct. */
function corners(shift = 0): { a: Position; b: Position; c: Position; d: Position } {
  const lon = 108.45 + shift;
  const lat = 12.95;
  const s = 0.0009;
  return { a: [lon, lat], b: [lon + s, lat], c: [lon + s, lat + s], d: [lon, lat + s] };
}

function expectProblem(res: request.Response, status: number): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.headers['content-type']).to.match(PROBLEM);
  expect(res.body.status).to.equal(status);
}

/** A 400 problem with a field error at exactly `path` whose message matches `message`. */
function expectFieldError(res: request.Response, path: string, message: RegExp): void {
  expectProblem(res, 400);
  const errors = res.body.errors as FieldError[];
  expect(errors, JSON.stringify(res.body)).to.be.an('array').that.is.not.empty;
  const match = errors.find((e) => e.path === path);
  expect(match, `no error at ${path}: ${JSON.stringify(errors)}`).to.not.equal(undefined);
  expect(match!.message).to.match(message);
}

describe('Plots API', () => {
  let h: Harness;
  let coop: string;

  beforeEach(async () => {
    h = await startHarness({ seed: true });
    coop = await h.login('coop@demo.test');
  });
  afterEach(() => h.close());

  const post = (auth: string, body: unknown) => request(h.app).post('/api/v1/plots').set('Authorization', auth).send(body as object);

  /** Every plot id the caller can list. */
  const plotIds = async (auth: string = coop): Promise<string[]> => {
    const res = await request(h.app).get('/api/v1/plots?limit=500').set('Authorization', auth).expect(200);
    expect(res.body.nextCursor).to.equal(null);
    return (res.body.items as Array<{ id: string }>).map((p) => p.id);
  };

  const validPlot = (shift: number, extra: Record<string, unknown> = {}) => ({
    name: `Rẫy thử ${shift}`,
    crops: ['coffee-robusta'],
    geometry: squarePlot(shift),
    ...extra,
  });

  describe('creating a polygon plot', () => {
    it('when a valid polygon is posted, then it answers 201 with Location, id and its geodesic area', async () => {
      const res = await post(coop, { name: 'Rẫy chính xác', crops: ['coffee-robusta'], geometry: { type: 'Polygon', coordinates: [PRECISE_RING] } });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.id).to.be.a('string').and.not.empty;
      expect(res.headers.location).to.equal(`/api/v1/plots/${res.body.id}`);
      const [lon0, lat0] = PRECISE_RING[0]!;
      const [lon1, lat1] = PRECISE_RING[2]!;
      const expected = ellipsoidRectangleAreaHa(lon0, lat0, lon1, lat1);
      expect(expected).to.be.within(0.9, 1.1); // sanity of the fixture: about 1 ha
      expect(res.body.areaHa).to.be.a('number');
      expect(Math.abs(res.body.areaHa - expected) / expected).to.be.below(0.02);
      expect(res.body.declaredAreaHa).to.equal(null);
    });

    it('when coordinates carry 12 decimals, then they come back exactly as sent (create and GET)', async () => {
      const geometry = { type: 'Polygon', coordinates: [PRECISE_RING] };
      const res = await post(coop, { name: 'Rẫy chính xác', crops: ['coffee-robusta'], geometry });
      expect(res.status).to.equal(201);
      expect(res.body.geometry).to.deep.equal(geometry);
      const read = await request(h.app).get(res.headers.location as string).set('Authorization', coop).expect(200);
      expect(read.body.geometry).to.deep.equal(geometry);
      expect(read.body.id).to.equal(res.body.id);
    });

    it('when a plot is created, then the list grows by exactly that plot', async () => {
      const before = await plotIds();
      const res = await post(coop, validPlot(0.01));
      expect(res.status).to.equal(201);
      const after = await plotIds();
      expect(after).to.have.length(before.length + 1);
      expect(after).to.include(res.body.id);
    });
  });

  describe('EUDR geometry rules', () => {
    const { a, b, c, d } = corners();
    const cases: Array<{ rule: string; body: Record<string, unknown>; path: string; message: RegExp }> = [
      {
        rule: 'the ring is not closed',
        body: { geometry: { type: 'Polygon', coordinates: [[a, b, c, d]] } },
        path: 'geometry.coordinates[0]',
        message: /not closed/,
      },
      {
        rule: 'the ring has fewer than 4 positions',
        body: { geometry: { type: 'Polygon', coordinates: [[a, b, a]] } },
        path: 'geometry.coordinates[0]',
        message: /at least 4 positions/,
      },
      {
        rule: 'the ring crosses itself (bow-tie)',
        body: { geometry: { type: 'Polygon', coordinates: [[a, c, b, d, a]] } },
        path: 'geometry.coordinates[0]',
        message: /intersects itself/,
      },
      {
        rule: 'the polygon has a hole (two rings)',
        body: {
          geometry: {
            type: 'Polygon',
            coordinates: [
              [a, b, c, d, a],
              [
                [a[0] + 0.0003, a[1] + 0.0003],
                [a[0] + 0.0006, a[1] + 0.0003],
                [a[0] + 0.0006, a[1] + 0.0006],
                [a[0] + 0.0003, a[1] + 0.0003],
              ],
            ],
          },
        },
        path: 'geometry.coordinates[1]',
        message: /holes/,
      },
      {
        rule: 'a longitude is out of range',
        body: { geometry: { type: 'Polygon', coordinates: [[a, [180.5, b[1]], c, d, a]] } },
        path: 'geometry.coordinates[0][1][0]',
        message: /longitude/,
      },
      {
        rule: 'a latitude is out of range',
        body: { geometry: { type: 'Polygon', coordinates: [[a, b, [c[0], 91], d, a]] } },
        path: 'geometry.coordinates[0][2][1]',
        message: /latitude/,
      },
      {
        rule: 'a position has three numbers (altitude)',
        body: { geometry: { type: 'Polygon', coordinates: [[a, [b[0], b[1], 520], c, d, a]] } },
        path: 'geometry.coordinates[0][1]',
        message: /two numbers/,
      },
      {
        rule: 'the geometry is a MultiPolygon',
        body: { geometry: { type: 'MultiPolygon', coordinates: [[[a, b, c, d, a]]] } },
        path: 'geometry.type',
        message: /Point or Polygon/,
      },
      {
        rule: 'the geometry is a LineString',
        body: { geometry: { type: 'LineString', coordinates: [a, b, c] } },
        path: 'geometry.type',
        message: /Point or Polygon/,
      },
      {
        rule: 'a point plot has no declaredAreaHa',
        body: { geometry: { type: 'Point', coordinates: a } },
        path: 'declaredAreaHa',
        message: /declared area/,
      },
      {
        rule: 'a point plot declares 5 ha (over 4 ha must be a polygon)',
        body: { geometry: { type: 'Point', coordinates: a }, declaredAreaHa: 5 },
        path: 'geometry',
        message: /4 ha must be a polygon/,
      },
      {
        rule: 'the ring repeats a vertex',
        body: { geometry: { type: 'Polygon', coordinates: [[a, b, c, b, d, a]] } },
        path: 'geometry.coordinates[0]',
        message: /repeats a position/,
      },
    ];

    for (const t of cases) {
      it(`when ${t.rule}, then it answers 400 naming ${t.path} and nothing is written`, async () => {
        const before = await plotIds();
        const res = await post(coop, { name: 'Rẫy sai', crops: ['coffee-robusta'], ...t.body });
        expectFieldError(res, t.path, t.message);
        expect(await plotIds()).to.deep.equal(before);
      });
    }

    it('when the geometry is missing, then it answers 400 naming geometry and nothing is written', async () => {
      const before = await plotIds();
      const res = await post(coop, { name: 'Rẫy sai', crops: ['coffee-robusta'] });
      expectFieldError(res, 'geometry', /./);
      expect(await plotIds()).to.deep.equal(before);
    });

    it('when the geometry is missing, then the message says a GeoJSON Point or Polygon is required', async () => {
      const res = await post(coop, { name: 'Rẫy sai', crops: ['coffee-robusta'] });
      expectFieldError(res, 'geometry', /GeoJSON Point or Polygon/);
    });

    it('when a point plot declares 4 ha or less, then it is accepted with that area', async () => {
      const res = await post(coop, { name: 'Vườn điểm', crops: ['coffee-robusta'], geometry: { type: 'Point', coordinates: a }, declaredAreaHa: 3.5 });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.areaHa).to.equal(3.5);
      expect(res.body.declaredAreaHa).to.equal(3.5);
      expect(res.body.geometry).to.deep.equal({ type: 'Point', coordinates: a });
    });
  });

  describe('certifications', () => {
    const cert = (extra: Record<string, unknown>) => ({
      scheme: 'VietGAP',
      number: 'VietGAP-TT-9001',
      issuer: 'Trung tâm Kiểm định và Chứng nhận Tây Nguyên',
      validFrom: '2025-01-01',
      validTo: '2099-12-31',
      ...extra,
    });

    it('when an OCOP certificate has no stars, then it answers 400 at certifications[0].stars and nothing is written', async () => {
      const before = await plotIds();
      const res = await post(coop, validPlot(0.02, { certifications: [cert({ scheme: 'OCOP', number: 'OCOP-DL-2025-1' })] }));
      expectFieldError(res, 'certifications[0].stars', /star/);
      expect(await plotIds()).to.deep.equal(before);
    });

    it('when a certificate ends before it starts, then it answers 400 at validTo and nothing is written', async () => {
      const before = await plotIds();
      const res = await post(coop, validPlot(0.02, { certifications: [cert({ validFrom: '2025-06-01', validTo: '2025-05-31' })] }));
      expectFieldError(res, 'certifications[0].validTo', /before/);
      expect(await plotIds()).to.deep.equal(before);
    });

    it('when a plot has an expired and a current certificate, then they come back flagged expired true and false', async () => {
      const res = await post(
        coop,
        validPlot(0.02, {
          certifications: [
            cert({ number: 'OLD-1', validFrom: '2020-01-01', validTo: '2022-01-01' }),
            cert({ scheme: 'OCOP', number: 'OCOP-DL-2025-7', stars: 4 }),
          ],
        }),
      );
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const certs = res.body.certifications as Array<{ number: string; expired: boolean; stars?: number }>;
      expect(certs).to.have.length(2);
      expect(certs[0]).to.include({ number: 'OLD-1', expired: true });
      expect(certs[1]).to.include({ number: 'OCOP-DL-2025-7', expired: false, stars: 4 });
      const read = await request(h.app).get(`/api/v1/plots/${res.body.id}`).set('Authorization', coop).expect(200);
      expect(read.body.certifications.map((c: { expired: boolean }) => c.expired)).to.deep.equal([true, false]);
    });
  });

  describe('body shape', () => {
    it('when the body has an unknown field, then it answers 400 naming that field and nothing is written', async () => {
      const before = await plotIds();
      const res = await post(coop, validPlot(0.03, { owner: 'someone' }));
      expectProblem(res, 400);
      const errors = res.body.errors as FieldError[];
      expect(errors.some((e) => e.message.includes('owner'))).to.equal(true);
      expect(await plotIds()).to.deep.equal(before);
    });

    it('when the geometry object has an unknown member, then it answers 400 naming it', async () => {
      const before = await plotIds();
      const res = await post(coop, validPlot(0.03, { geometry: { ...squarePlot(0.03), crs: 'EPSG:4326' } }));
      expectFieldError(res, 'geometry', /crs/);
      expect(await plotIds()).to.deep.equal(before);
    });
  });

  describe('farmerId', () => {
    const households = async (): Promise<Array<{ id: string; slug: string; type: string }>> => {
      const res = await request(h.app).get('/api/v1/organizations?limit=500').set('Authorization', coop).expect(200);
      return res.body.items as Array<{ id: string; slug: string; type: string }>;
    };

    it('when the cooperative admin names a member household, then the plot belongs to that household and its farmer sees it', async () => {
      const orgs = await households();
      const household = orgs.find((o) => o.slug === 'ho-y-bhim-eban');
      expect(household?.type).to.equal('farm_household');
      const res = await post(coop, validPlot(0.04, { farmerId: household!.id }));
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.orgId).to.equal(household!.id);
      const farmer = await h.login('farmer@demo.test');
      await request(h.app).get(`/api/v1/plots/${res.body.id}`).set('Authorization', farmer).expect(200);
    });

    it('when a farmer names another household, then it answers 400 at farmerId and nothing is written', async () => {
      const orgs = await households();
      const other = orgs.find((o) => o.slug === 'ho-nguyen-van-thanh');
      expect(other).to.not.equal(undefined);
      const farmer = await h.login('farmer@demo.test');
      const before = await plotIds();
      const res = await post(farmer, validPlot(0.05, { farmerId: other!.id }));
      expectFieldError(res, 'farmerId', /not your organization/);
      expect(await plotIds()).to.deep.equal(before);
    });

    it('when the cooperative admin names its own cooperative as farmerId, then it answers 400 (a farmer is a household)', async () => {
      const orgs = await households();
      const own = orgs.find((o) => o.slug === 'krong-nang-coffee');
      const before = await plotIds();
      const res = await post(coop, validPlot(0.05, { farmerId: own!.id }));
      expectFieldError(res, 'farmerId', /farm household/);
      expect(await plotIds()).to.deep.equal(before);
    });
  });

  describe('list pagination', () => {
    it('when ?limit=2 is asked, then the page has 2 plots and a nextCursor', async () => {
      const res = await request(h.app).get('/api/v1/plots?limit=2').set('Authorization', coop).expect(200);
      expect(res.body.items).to.have.length(2);
      expect(res.body.nextCursor).to.be.a('string').and.not.empty;
    });

    it('when cursors are followed, then every plot is visited exactly once', async () => {
      for (const shift of [0.06, 0.07]) expect((await post(coop, validPlot(shift))).status).to.equal(201);
      const all = await plotIds();
      expect(all.length).to.be.greaterThan(4);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/api/v1/plots?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await request(h.app).get(url).set('Authorization', coop).expect(200);
        const items = res.body.items as Array<{ id: string }>;
        expect(items.length).to.be.within(1, 2);
        seen.push(...items.map((p) => p.id));
        cursor = res.body.nextCursor as string | null;
        pages += 1;
        expect(pages).to.be.below(100);
      } while (cursor);
      expect(new Set(seen).size).to.equal(seen.length);
      expect([...seen].sort()).to.deep.equal([...all].sort());
      expect(pages).to.equal(Math.ceil(all.length / 2));
    });

    for (const limit of ['0', '501']) {
      it(`when ?limit=${limit} is asked, then it answers 400 naming limit`, async () => {
        const res = await request(h.app).get(`/api/v1/plots?limit=${limit}`).set('Authorization', coop);
        expectProblem(res, 400);
        expect((res.body.errors as FieldError[]).map((e) => e.path)).to.include('limit');
      });
    }
  });
});
