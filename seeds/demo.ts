/**
 * Demo data: a Robusta cooperative in Krông Năng (Đắk Lắk) with five member households, their
 * plots and lots through drying, hulling, a merge, shipping to a roaster, roasting, packing and a
 * split into retail packs; a tea cooperative in Tân Cương (Thái Nguyên) for isolation; a roaster;
 * a certification body. Everything goes through the services, so every fact is a real event.
 * Logos and photos (plots, harvests, the drying yard, packs) are drawn by scripts/demo-images.ts
 * into seeds/demo-images/ and uploaded through the same checks as a user's files.
 */
import type { Services } from '../api/src/app.js';
import type { Actor } from '../api/src/core/auth.js';
import { withCheckDigit } from '../api/src/domain/gs1/keys.js';
import type { BatchRecord, PlotRecord } from '../api/src/store/port.js';
import { seedCatalogue } from './demo-catalogue.js';
import { DEMO_FARMER_PIN, DEMO_PASSWORD, demoGtin as gtin } from './demo-directory.js';
import { demoImage } from './demo-photos.js';

export { DEMO_ACCOUNTS, DEMO_FARMER_PIN, DEMO_PASSWORD, DEMO_PUBLISHED_LOTS } from './demo-directory.js';
/** 13-digit GLN with the Vietnam prefix 893. */
const gln = (location: string) => withCheckDigit(`89361234${location}`);

const METRES_PER_DEGREE_LAT = 111_320;

/** A plot outline from an origin and offsets in metres (east, north); closed, 7 decimals (about 1 cm). */
function outline(origin: [number, number], offsets: Array<[number, number]>): { type: 'Polygon'; coordinates: [number, number][][] } {
  const [lon0, lat0] = origin;
  const metresPerDegreeLon = METRES_PER_DEGREE_LAT * Math.cos((lat0 * Math.PI) / 180);
  const ring = offsets.map(([east, north]): [number, number] => [
    Number((lon0 + east / metresPerDegreeLon).toFixed(7)),
    Number((lat0 + north / METRES_PER_DEGREE_LAT).toFixed(7)),
  ]);
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
}

export interface DemoSummary {
  /** The published lots, for printing their origin links. */
  published: Array<{ id: string; product: string; gtin: string | null; lotNumber: string }>;
}

export async function seedDemo(s: Services): Promise<DemoSummary> {
  const login = async (email: string): Promise<Actor> => s.auth.authenticate((await s.auth.login(email, DEMO_PASSWORD)).token);
  const summary: DemoSummary = { published: [] };

  // Organizations and their first users.
  const { organization: coffeeCoop } = await s.organizations.bootstrap(
    {
      slug: 'krong-nang-coffee',
      type: 'cooperative',
      name: 'Hợp tác xã Nông nghiệp Cà phê Krông Năng',
      address: { province: 'Đắk Lắk', commune: 'Thị trấn Krông Năng', street: 'Thôn Tam Hòa' },
      gln: gln('0001'),
      pucCode: 'VN-DL-KN-0017',
      packingHouseCode: 'VN-DL-PH-0042',
    },
    { email: 'coop@demo.test', name: 'Nguyễn Thị Hồng (chủ nhiệm HTX)', password: DEMO_PASSWORD },
  );
  const { organization: roastery } = await s.organizations.bootstrap(
    {
      slug: 'bmt-roastery',
      type: 'processor',
      name: 'Công ty TNHH Rang xay Buôn Ma Thuột',
      address: { province: 'Đắk Lắk', commune: 'Phường Tân Lợi', street: '128 Phan Bội Châu, Buôn Ma Thuột' },
      gln: gln('0002'),
    },
    { email: 'processor@demo.test', name: 'Trần Quốc Bảo', password: DEMO_PASSWORD },
  );
  const { organization: certifier } = await s.organizations.bootstrap(
    {
      slug: 'tay-nguyen-certification',
      type: 'certification_body',
      name: 'Trung tâm Kiểm định và Chứng nhận Tây Nguyên',
      address: { province: 'Đắk Lắk', commune: 'Phường Tân An', street: '53 Nguyễn Tất Thành, Buôn Ma Thuột' },
    },
    { email: 'inspector@demo.test', name: 'Lê Minh Tuấn', password: DEMO_PASSWORD, role: 'inspector' },
  );
  const { organization: teaCoop } = await s.organizations.bootstrap(
    {
      slug: 'tan-cuong-tea',
      type: 'cooperative',
      name: 'Hợp tác xã Chè Tân Cương',
      address: { province: 'Thái Nguyên', commune: 'Xã Tân Cương', street: 'Xóm Hồng Thái 2' },
      gln: gln('0003'),
    },
    { email: 'other-coop@demo.test', name: 'Đỗ Văn Sơn', password: DEMO_PASSWORD },
  );

  const coopAdmin = await login('coop@demo.test');
  // Logos (drawn by scripts/demo-images.ts), through the same checks as an admin's upload.
  await s.logos.set(coopAdmin, coffeeCoop.id, [{ bytes: await demoImage('logo-krong-nang-coffee.png') }]);
  const households = [
    { slug: 'ho-y-bhim-eban', name: 'Hộ ông Y Bhim Êban', commune: 'Xã Ea Tóh', street: 'Buôn Ea Tóh' },
    { slug: 'ho-nguyen-van-thanh', name: 'Hộ ông Nguyễn Văn Thành', commune: 'Xã Phú Lộc', street: 'Thôn 3' },
    { slug: 'ho-h-hen-nie', name: 'Hộ bà H’Hen Niê', commune: 'Xã Ea Hồ', street: 'Buôn Ea Hồ' },
    { slug: 'ho-tran-thi-lan', name: 'Hộ bà Trần Thị Lan', commune: 'Xã Tam Giang', street: 'Thôn Giang Thanh' },
    { slug: 'ho-le-van-hung', name: 'Hộ ông Lê Văn Hùng', commune: 'Xã Ea Tân', street: 'Thôn Tân Lập' },
  ];
  const farms = [];
  for (const h of households) {
    farms.push(
      await s.organizations.createMember(coopAdmin, {
        slug: h.slug,
        type: 'farm_household',
        name: h.name,
        address: { province: 'Đắk Lắk', commune: h.commune, street: h.street },
      }),
    );
  }
  // A fresh login: the admin's scope now includes the new member households.
  const coop2 = await login('coop@demo.test');
  const farmerLogins = { email: 'farmer@demo.test', password: DEMO_PASSWORD, phone: '+84912345678', pin: DEMO_FARMER_PIN };
  await s.organizations.createUser(coop2, { ...farmerLogins, name: 'Y Bhim Êban', role: 'farmer', orgId: farms[0]!.id });
  const farmer = await login('farmer@demo.test');
  const roasterAdmin = await login('processor@demo.test');
  const inspector = await login('inspector@demo.test');
  const teaAdmin = await login('other-coop@demo.test');
  await s.logos.set(roasterAdmin, roastery.id, [{ bytes: await demoImage('logo-bmt-roastery.png') }]);
  await s.logos.set(teaAdmin, teaCoop.id, [{ bytes: await demoImage('logo-tan-cuong-tea.png') }]);

  // Plots (coordinates around Krông Năng, WGS84).
  const vietgap = (n: string, validTo = '2027-03-31') => ({
    scheme: 'VietGAP' as const,
    number: `VietGAP-TT-${n}`,
    issuer: certifier.name,
    validFrom: '2025-04-01',
    validTo,
  });
  const plot = (actor: Actor, input: Parameters<Services['plots']['create']>[1]): Promise<PlotRecord> => s.plots.create(actor, input);
  const p1 = await plot(farmer, {
    name: 'Rẫy Ea Tóh 1',
    crops: ['coffee-robusta', 'durian'],
    geometry: outline([108.372614, 13.041528], [[0, 0], [96, 12], [104, -88], [12, -101], [-6, -45]]),
    certifications: [vietgap('0231')],
    // Growing areas identified by GLN (GS1 practice): /414/{gln} opens the plot's page, as both feed the published blend.
    gln: gln('0101'),
  });
  const p2 = await plot(coop2, {
    name: 'Rẫy Phú Lộc (đồi)',
    crops: ['coffee-robusta', 'pepper'],
    farmerId: farms[1]!.id,
    geometry: outline([108.409183, 12.982761], [[0, 0], [238, 21], [251, -176], [132, -214], [-14, -187]]),
    gln: gln('0102'),
    certifications: [
      vietgap('0232'),
      { scheme: 'RainforestAlliance', number: 'RA-VN-2025-8841', issuer: 'Rainforest Alliance', validFrom: '2025-06-01', validTo: '2028-05-31' },
    ],
  });
  const p3 = await plot(coop2, {
    name: 'Vườn Ea Hồ',
    crops: ['coffee-robusta'],
    farmerId: farms[2]!.id,
    geometry: { type: 'Point', coordinates: [108.351207, 12.953384] },
    declaredAreaHa: 0.8,
    certifications: [vietgap('0188', '2025-09-30')],
  });
  const p4 = await plot(coop2, {
    name: 'Rẫy Tam Giang',
    crops: ['coffee-robusta', 'macadamia'],
    farmerId: farms[3]!.id,
    geometry: outline([108.437502, 13.012339], [[0, 0], [118, 8], [126, -92], [61, -131], [-4, -97]]),
    certifications: [{ scheme: '4C', number: '4C-VN-25-0412', issuer: '4C Services', validFrom: '2025-02-01', validTo: '2028-01-31' }],
  });
  const p5 = await plot(coop2, {
    name: 'Rẫy Ea Tân',
    crops: ['coffee-robusta'],
    farmerId: farms[4]!.id,
    geometry: outline([108.461877, 12.997412], [[0, 0], [82, 4], [87, -78], [-3, -83]]),
    certifications: [],
  });

  // An aerial photo of the plots the published lots come from (the farmer's own by the farmer);
  // the others stay without, as many real plots do.
  const rows = await demoImage('plot-coffee-rows.webp');
  await s.media.attach(farmer, { kind: 'plot', plotId: p1.id }, [{ bytes: rows }]);
  for (const p of [p2, p3]) await s.media.attach(coop2, { kind: 'plot', plotId: p.id }, [{ bytes: rows }]);

  // Harvest lots (2025/26 season) and farm-level steps.
  const cherries: BatchRecord[] = [];
  const harvest = async (actor: Actor, plotIds: string[], lot: string, kg: number, from: string, to: string, variety: string) => {
    const batch = await s.batches.create(actor, {
      plotIds,
      product: 'Cà phê Robusta quả tươi',
      variety,
      harvestPeriod: { from, to },
      quantity: { value: kg, unit: 'kg' },
      lotNumber: lot,
    });
    cherries.push(batch);
    return batch;
  };
  const b1 = await harvest(farmer, [p1.id], 'ETO-2511-01', 2400, '2025-11-10', '2025-11-18', 'TR4');
  const b2 = await harvest(coop2, [p2.id], 'PLO-2511-01', 6100, '2025-11-12', '2025-11-25', 'TR9');
  const b3 = await harvest(coop2, [p3.id], 'EHO-2511-01', 1500, '2025-11-15', '2025-11-20', 'TRS1');
  const b4 = await harvest(coop2, [p4.id], 'TGI-2511-01', 2900, '2025-11-08', '2025-11-19', 'TR4');
  const b5 = await harvest(coop2, [p5.id], 'ETA-2511-01', 1800, '2025-11-20', '2025-11-28', 'TR9');
  // The picked cherries, on a harvest lot behind each published coffee lot.
  const picked = await demoImage('harvest-coffee-cherries.webp');
  await s.media.attach(farmer, { kind: 'batch', batchId: b1.id }, [{ bytes: picked }]);
  await s.media.attach(coop2, { kind: 'batch', batchId: b3.id }, [{ bytes: picked }]);

  const farmPlace = (name: string, lat: number, lon: number) => ({ name, lat, lon });
  const farmDrying = await s.custody.addStep(farmer, b1.id, {
    type: 'drying',
    occurredAt: '2025-11-19T07:30:00+07:00',
    place: farmPlace('Sân phơi nhà', 13.041102, 108.373015),
    notes: 'Phơi trên bạt 14 ngày, độ ẩm cuối 12,5%',
    inputs: [{ quantity: { value: 2400, unit: 'kg' } }],
    outputs: [{ quantity: { value: 1150, unit: 'kg' } }],
  });
  // A photo of the drying yard, taken by the farmer: shown on the origin page's timeline.
  await s.media.attach(farmer, { kind: 'step', batchId: b1.id, stepId: farmDrying.event.hash }, [{ bytes: await demoImage('drying-coffee-cherries.webp') }]);
  for (const [batch, dried] of [[b2, 2900], [b3, 720], [b4, 1390], [b5, 860]] as const) {
    await s.custody.addStep(coop2, batch.id, {
      type: 'drying',
      occurredAt: '2025-11-29T07:00:00+07:00',
      place: { name: 'Sân phơi HTX Krông Năng', gln: gln('0011') },
      notes: 'Phơi sân xi măng, đảo 4 lần/ngày',
      inputs: [{ quantity: batch.quantity }],
      outputs: [{ quantity: { value: dried, unit: 'kg' } }],
    });
  }
  // The farmer ships the dried cherries to the cooperative, which receives them.
  await s.custody.addStep(farmer, b1.id, {
    type: 'shipping',
    occurredAt: '2025-12-04T08:00:00+07:00',
    receiver: 'krong-nang-coffee',
    notes: 'Xe công nông của HTX',
  });
  for (const batch of cherries) {
    if (batch.id === b1.id) {
      await s.custody.addStep(coop2, b1.id, { type: 'receiving', occurredAt: '2025-12-04T10:15:00+07:00', place: { name: 'Kho HTX', gln: gln('0011') } });
    }
    await s.custody.addStep(coop2, batch.id, {
      type: 'hulling',
      occurredAt: '2025-12-06T09:00:00+07:00',
      place: { name: 'Xưởng xát HTX Krông Năng', gln: gln('0011') },
    });
  }

  // Blend three lots into an export-grade green coffee lot; sort it; ship it to the roaster.
  const blend = await s.transformations.merge(coop2, {
    inputs: [{ batchId: b1.id }, { batchId: b2.id }, { batchId: b4.id }],
    product: 'Cà phê nhân Robusta Krông Năng',
    variety: 'TR4, TR9',
    quantity: { value: 60, unit: 'bag', bagKg: 60 },
    lotNumber: 'KN-2512-G1',
    gtin: gtin('001'),
    occurredAt: '2025-12-08T14:00:00+07:00',
    place: { name: 'Kho HTX Krông Năng', gln: gln('0011') },
    notes: 'Phối trộn 3 lô đạt chuẩn sàng 16',
  });
  await s.custody.addStep(coop2, blend.id, {
    type: 'sorting',
    occurredAt: '2025-12-09T08:00:00+07:00',
    place: { name: 'Xưởng phân loại HTX', gln: gln('0011') },
    notes: 'Sàng 16, loại hạt đen vỡ',
    outputs: [{ quantity: { value: 3540, unit: 'kg' } }],
  });
  await s.custody.addStep(coop2, blend.id, { type: 'shipping', occurredAt: '2025-12-15T06:30:00+07:00', receiver: 'bmt-roastery' });
  await s.custody.addStep(roasterAdmin, blend.id, {
    type: 'receiving',
    occurredAt: '2025-12-15T10:00:00+07:00',
    place: { name: 'Kho Rang xay BMT', gln: gln('0021') },
  });
  await s.custody.addStep(roasterAdmin, blend.id, {
    type: 'roasting',
    occurredAt: '2025-12-18T08:00:00+07:00',
    place: { name: 'Xưởng rang', gln: gln('0021') },
    notes: 'Rang vừa (medium), 13 phút, 215 °C',
    inputs: [{ quantity: { value: 500, unit: 'kg' } }],
    outputs: [{ quantity: { value: 420, unit: 'kg' } }],
  });
  await s.custody.addStep(roasterAdmin, blend.id, {
    type: 'grinding',
    occurredAt: '2025-12-18T15:00:00+07:00',
    place: { name: 'Xưởng rang', gln: gln('0021') },
  });
  await s.custody.addStep(roasterAdmin, blend.id, {
    type: 'packing',
    occurredAt: '2025-12-19T09:00:00+07:00',
    place: { name: 'Xưởng đóng gói', gln: gln('0021') },
    notes: 'Túi van một chiều 500 g',
  });
  // Split the roast into two retail lots (500 g bags), both published.
  const packs = await s.transformations.split(roasterAdmin, blend.id, {
    outputs: [
      { quantity: { value: 300, unit: 'bag', bagKg: 0.5 }, product: 'Cà phê rang xay Krông Năng 500 g', lotNumber: 'KN25R-A', gtin: gtin('002') },
      { quantity: { value: 240, unit: 'bag', bagKg: 0.5 }, product: 'Cà phê rang xay Krông Năng 500 g', lotNumber: 'KN25R-B', gtin: gtin('002') },
    ],
    occurredAt: '2025-12-19T16:00:00+07:00',
    place: { name: 'Xưởng đóng gói', gln: gln('0021') },
  });
  for (const pack of packs) {
    const published = await s.batches.setPublished(roasterAdmin, pack.id, true);
    summary.published.push({ id: published.id, product: published.product, gtin: published.gtin, lotNumber: published.lotNumber });
  }
  await s.custody.addStep(inspector, packs[0]!.id, {
    type: 'inspection',
    occurredAt: '2026-01-06T10:00:00+07:00',
    notes: 'Kiểm tra truy xuất nguồn gốc và nhãn: đạt',
  });

  // A single-origin green lot from one household, sold by the cooperative under its own GTIN.
  const single = await s.transformations.split(coop2, b3.id, {
    outputs: [
      { quantity: { value: 360, unit: 'kg' }, product: 'Cà phê nhân Robusta Ea Hồ (đơn nguồn)', lotNumber: 'EHO-2512-S1', gtin: gtin('003') },
      { quantity: { value: 340, unit: 'kg' }, product: 'Cà phê nhân Robusta Ea Hồ (loại 2)', lotNumber: 'EHO-2512-S2' },
    ],
    occurredAt: '2025-12-10T09:00:00+07:00',
    place: { name: 'Xưởng phân loại HTX', gln: gln('0011') },
  });
  const singleOrigin = await s.batches.setPublished(coop2, single[0]!.id, true);
  summary.published.push({ id: singleOrigin.id, product: singleOrigin.product, gtin: singleOrigin.gtin, lotNumber: singleOrigin.lotNumber });

  // The tea cooperative: its own household, plot and a published lot, invisible to the coffee side.
  const teaFarm = await s.organizations.createMember(teaAdmin, {
    slug: 'ho-do-thi-nga',
    type: 'farm_household',
    name: 'Hộ bà Đỗ Thị Nga',
    address: { province: 'Thái Nguyên', commune: 'Xã Tân Cương', street: 'Xóm Nam Thái' },
  });
  const teaAdmin2 = await login('other-coop@demo.test');
  const teaPlot = await plot(teaAdmin2, {
    name: 'Đồi chè Nam Thái',
    crops: ['tea'],
    farmerId: teaFarm.id,
    geometry: outline([105.762914, 21.571637], [[0, 0], [64, 9], [71, -52], [8, -58]]),
    certifications: [
      vietgap('0507'),
      { scheme: 'OCOP', number: 'OCOP-TN-2024-118', issuer: 'UBND tỉnh Thái Nguyên', validFrom: '2024-06-15', validTo: '2027-06-14', stars: 4 },
    ],
  });
  await s.media.attach(teaAdmin2, { kind: 'plot', plotId: teaPlot.id }, [{ bytes: await demoImage('plot-tea-terraces.webp') }]);
  const teaLeaf = await s.batches.create(teaAdmin2, {
    plotIds: [teaPlot.id],
    product: 'Chè búp tươi Tân Cương',
    variety: 'Trung du',
    harvestedAt: '2026-04-12',
    quantity: { value: 120, unit: 'kg' },
    lotNumber: 'TC-2604-01',
  });
  await s.media.attach(teaAdmin2, { kind: 'batch', batchId: teaLeaf.id }, [{ bytes: await demoImage('harvest-tea-shoots.webp') }]);
  await s.custody.addStep(teaAdmin2, teaLeaf.id, { type: 'roasting', occurredAt: '2026-04-12T15:00:00+07:00', notes: 'Sao chè bằng tôn quay', outputs: [{ quantity: { value: 26, unit: 'kg' } }] });
  const [teaPacks] = await s.transformations.split(teaAdmin2, teaLeaf.id, {
    outputs: [
      { quantity: { value: 100, unit: 'bag', bagKg: 0.2 }, product: 'Chè Tân Cương đặc biệt 200 g', lotNumber: 'TC-2604-P1', gtin: gtin('101') },
      { quantity: { value: 30, unit: 'bag', bagKg: 0.2 }, product: 'Chè Tân Cương loại 1 200 g', lotNumber: 'TC-2604-P2' },
    ],
    occurredAt: '2026-04-13T09:00:00+07:00',
  });
  const teaPublished = await s.batches.setPublished(teaAdmin2, teaPacks!.id, true);
  summary.published.push({ id: teaPublished.id, product: teaPublished.product, gtin: teaPublished.gtin, lotNumber: teaPublished.lotNumber });

  await seedCatalogue(s, { roaster: roasterAdmin, coop: coop2, tea: teaAdmin2 }, { roast: packs, singleOrigin, tea: teaPublished });
  return summary;
}
