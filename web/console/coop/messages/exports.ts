import type { ConsoleLang } from '../../messages.js';

/** Words of the exports screen: each file format, its validation report and its download. */
const vi = {
  heading: 'Xuất dữ liệu',
  intro: 'Kiểm tra từng tệp trước khi tải về: báo cáo cho biết bao nhiêu mục được ghi và mục nào bị bỏ qua, vì sao.',
  formats: {
    'google-merchant.xml': 'Nguồn cấp sản phẩm cho Google Merchant Center (RSS/XML), để bán trên Google Mua sắm.',
    'google-merchant.tsv': 'Cùng nguồn cấp Google Merchant dưới dạng bảng TSV, để tải lên thủ công hoặc mở bằng bảng tính.',
    'meta-catalog.csv': 'Danh mục sản phẩm cho Facebook và Instagram Shop (Meta Commerce Manager).',
    'listings.csv': 'Các gian hàng trên sàn thương mại điện tử (Shopee, Lazada, Tiki…) kèm liên kết nguồn gốc, để đối chiếu.',
    'eudr.geojson': 'Vị trí địa lý các thửa đất cho hồ sơ thẩm định EUDR (Quy định chống phá rừng của EU), định dạng GeoJSON.',
  },
  check: 'Kiểm tra',
  checking: 'Đang kiểm tra…',
  download: 'Tải về',
  downloading: 'Đang tải về…',
  downloaded: (file: string) => `Đã tải về ${file}.`,
  written: (n: number) => `${n.toLocaleString('vi-VN')} mục sẽ được ghi vào tệp.`,
  noneSkipped: 'Không có mục nào bị bỏ qua.',
  skipped: (n: number) => `${n.toLocaleString('vi-VN')} mục bị bỏ qua:`,
  item: 'Mục',
  reasons: 'Lý do (theo quy tắc của định dạng)',
  listingOf: (product: string, marketplace: string) => `Gian hàng ${marketplace}: ${product}`,
  eudrScope: 'Phạm vi',
  allPlots: 'Tất cả thửa đất của hợp tác xã',
};

const en: typeof vi = {
  heading: 'Exports',
  intro: 'Check each file before you download it: the report says how many items are written and which are skipped, and why.',
  formats: {
    'google-merchant.xml': 'Product feed for Google Merchant Center (RSS/XML), to sell on Google Shopping.',
    'google-merchant.tsv': 'The same Google Merchant feed as a TSV table, for a manual upload or a spreadsheet.',
    'meta-catalog.csv': 'Product catalog for Facebook and Instagram shops (Meta Commerce Manager).',
    'listings.csv': 'The marketplace listings (Shopee, Lazada, Tiki…) with their origin links, to reconcile.',
    'eudr.geojson': 'Plot geolocation for the EUDR (EU deforestation regulation) due-diligence statement, as GeoJSON.',
  },
  check: 'Check',
  checking: 'Checking…',
  download: 'Download',
  downloading: 'Downloading…',
  downloaded: (file: string) => `${file} downloaded.`,
  written: (n: number) => (n === 1 ? '1 item will be written to the file.' : `${n.toLocaleString('en-GB')} items will be written to the file.`),
  noneSkipped: 'No item is skipped.',
  skipped: (n: number) => (n === 1 ? '1 item is skipped:' : `${n.toLocaleString('en-GB')} items are skipped:`),
  item: 'Item',
  reasons: 'Reasons (the format’s rules)',
  listingOf: (product: string, marketplace: string) => `${marketplace} listing: ${product}`,
  eudrScope: 'Scope',
  allPlots: 'All the cooperative’s plots',
};

export const EXPORTS_MESSAGES: Record<ConsoleLang, typeof vi> = { vi, en };
