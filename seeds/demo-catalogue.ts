/**
 * The demo's products and where they are sold. Each product is complete for the Google Merchant
 * and Meta feeds (GTIN, brand, price, stock, a square JPEG photo), so the demo's feeds list all
 * of them; each marketplace still has its own gaps for the readiness report to name (categories
 * and listings the cooperative has not made yet).
 */
import type { Services } from '../api/src/app.js';
import type { Actor } from '../api/src/core/auth.js';
import type { BatchRecord } from '../api/src/store/port.js';
import { demoGtin as gtin } from './demo-directory.js';
import { demoImage } from './demo-photos.js';

/** Google product category 1868: Food, Beverages & Tobacco > Beverages > Coffee; 2073: Tea & Infusions. */
const COFFEE = 1868;
const TEA = 2073;

export async function seedCatalogue(
  s: Services,
  by: { roaster: Actor; coop: Actor; tea: Actor },
  lots: { roast: BatchRecord[]; singleOrigin: BatchRecord; tea: BatchRecord },
): Promise<void> {
  const roast = await s.products.create(by.roaster, {
    gtin: gtin('002'),
    name: { vi: 'Cà phê rang xay Robusta Krông Năng 500 g', en: 'Krông Năng Robusta ground coffee 500 g' },
    description: {
      vi: 'Cà phê Robusta trồng tại Krông Năng, Đắk Lắk, phơi trên sân, rang vừa tại Buôn Ma Thuột. Quét mã QR trên bao bì để xem nguồn gốc từng lô.',
      en: 'Robusta grown in Krông Năng, Đắk Lắk, sun-dried, medium roast in Buôn Ma Thuột. Scan the QR code to see where each lot comes from.',
    },
    brand: 'BMT Roastery',
    googleCategory: COFFEE,
    netWeight: { value: 500, unit: 'g' },
    packageWeightKg: 0.55,
    dimensionsCm: { length: 20, width: 12, height: 6 },
    stock: 420,
    priceVnd: 145_000,
    otherPrices: [{ currency: 'USD', amount: 6.5 }],
    batchIds: lots.roast.map((p) => p.id),
  });
  await s.media.attach(by.roaster, { kind: 'product', productId: roast.id }, [{ bytes: await demoImage('product-roast-coffee.jpg') }]);
  await s.products.createListing(by.roaster, { productId: roast.id, marketplace: 'shopee', url: 'https://shopee.vn/ca-phe-rang-xay-krong-nang-500g-i.1234.5678', categoryId: '100629', availability: 'in_stock' });
  await s.products.createListing(by.roaster, { productId: roast.id, marketplace: 'tiki', url: 'https://tiki.vn/ca-phe-rang-xay-krong-nang-500g-p123456.html', categoryId: '4384', priceVnd: 149_000, availability: 'in_stock' });

  const green = await s.products.create(by.coop, {
    gtin: gtin('003'),
    name: { vi: 'Cà phê nhân Robusta Ea Hồ (đơn nguồn) 1 kg', en: 'Ea Hồ single-origin green Robusta 1 kg' },
    description: {
      vi: 'Cà phê nhân Robusta sàng 16 từ một hộ ở xã Ea Hồ, Krông Năng, Đắk Lắk: hái chín, phơi sân, xát tại HTX.',
      en: 'Screen 16 green Robusta from one household in Ea Hồ, Krông Năng, Đắk Lắk: ripe-picked, sun-dried, hulled at the cooperative.',
    },
    brand: 'HTX Krông Năng',
    googleCategory: COFFEE,
    netWeight: { value: 1, unit: 'kg' },
    packageWeightKg: 1.05,
    dimensionsCm: { length: 25, width: 15, height: 8 },
    stock: 360,
    priceVnd: 180_000,
    otherPrices: [],
    batchIds: [lots.singleOrigin.id],
  });
  await s.media.attach(by.coop, { kind: 'product', productId: green.id }, [{ bytes: await demoImage('product-green-coffee.jpg') }]);
  await s.products.createListing(by.coop, { productId: green.id, marketplace: 'own_shop', url: 'https://htx-krongnang.vn/san-pham/ca-phe-nhan-ea-ho', availability: 'in_stock' });

  const tea = await s.products.create(by.tea, {
    gtin: gtin('101'),
    name: { vi: 'Chè Tân Cương đặc biệt 200 g', en: 'Tân Cương special green tea 200 g' },
    description: { vi: 'Chè búp Tân Cương, sao tay, đạt OCOP 4 sao.', en: 'Hand-fired Tân Cương tea buds, OCOP 4 stars.' },
    brand: 'HTX Chè Tân Cương',
    googleCategory: TEA,
    netWeight: { value: 200, unit: 'g' },
    packageWeightKg: 0.25,
    dimensionsCm: { length: 15, width: 10, height: 5 },
    stock: 100,
    priceVnd: 250_000,
    otherPrices: [],
    ocopStars: 4,
    batchIds: [lots.tea.id],
  });
  await s.media.attach(by.tea, { kind: 'product', productId: tea.id }, [{ bytes: await demoImage('product-tea.jpg') }]);
  await s.products.createListing(by.tea, { productId: tea.id, marketplace: 'shopee', url: 'https://shopee.vn/che-tan-cuong-dac-biet-200g-i.4321.8765', categoryId: '100634', availability: 'in_stock' });
}
