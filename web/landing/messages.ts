/**
 * Every word the landing page (`/`) shows, in Vietnamese (the default) and English. Each language
 * is a complete object of the same shape, so a missing translation is a type error.
 */
import type { Lang } from '../origin-page/messages.js';

/** The documentation pages the landing page links to, in this order (all written in English). */
export const LANDING_DOCS = ['getting-started.md', 'console.md', 'resolver-and-qr.md', 'exports.md', 'api.md', 'operations.md'] as const;
type LandingDoc = (typeof LANDING_DOCS)[number];

const vi = {
  title: 'Truy xuất nguồn gốc nông sản',
  description: 'Ghi lại hành trình của nông sản từ vườn đến người mua, ký số từng bước, để người mua quét mã QR là biết sản phẩm đến từ đâu.',
  intro:
    'Dịch vụ này ghi lại hành trình của nông sản từ vườn đến người mua: vùng trồng, lô thu hoạch và từng công đoạn sơ chế, chế biến, đóng gói, vận chuyển. Mỗi bước được tổ chức ghi nhận ký số và đưa vào một nhật ký minh bạch chỉ được ghi thêm. Người mua quét mã QR trên bao bì để xem sản phẩm được trồng ở đâu, ai làm ra, có chứng nhận gì, và tự kiểm tra rằng hồ sơ không bị sửa đổi.',
  startHeading: 'Bắt đầu',
  console: 'Ứng dụng cho nông hộ',
  consoleNote: 'Ghi vùng trồng, thu hoạch và các công đoạn trên điện thoại, kể cả khi không có mạng.',
  office: 'Văn phòng hợp tác xã',
  officeNote: 'Quản lý thành viên, vùng trồng, lô hàng, sản phẩm, in tem mã QR và xuất dữ liệu cho các sàn thương mại.',
  demoHeading: 'Lô hàng mẫu',
  demoIntro: 'Dữ liệu mẫu đang được bật. Mở trang nguồn gốc của một lô, hoặc quét mã QR của lô bằng điện thoại.',
  lot: (lotNumber: string) => `Lô ${lotNumber}`,
  qrAlt: (product: string, lotNumber: string) => `Mã QR của lô ${lotNumber}, ${product}`,
  developersHeading: 'Cho nhà phát triển',
  apiDocs: 'Tài liệu API (OpenAPI 3.1, JSON)',
  docsHeading: 'Tài liệu (tiếng Anh)',
  docs: {
    'getting-started.md': 'Bắt đầu: chạy dịch vụ, tài khoản mẫu',
    'console.md': 'Ứng dụng nông hộ và văn phòng hợp tác xã',
    'resolver-and-qr.md': 'Mã QR, GS1 Digital Link và trang nguồn gốc',
    'exports.md': 'Sản phẩm, sàn thương mại và tệp xuất',
    'api.md': 'API JSON',
    'operations.md': 'Vận hành: lưu trữ, sao lưu, dừng dịch vụ',
  } satisfies Record<LandingDoc, string>,
};

export type LandingMessages = typeof vi;

const en: LandingMessages = {
  title: 'Farm produce traceability',
  description: 'Records the journey of farm produce from the plot to the buyer, each step signed, so a buyer who scans the QR code sees where it came from.',
  intro:
    'This service records the journey of farm produce from the plot to the buyer: growing areas, harvest lots and every step of drying, processing, packing and shipping. Each step is signed by the organization that records it and appended to a transparency log that can only grow. A buyer scans the QR code on the pack to see where the product was grown, who made it and what it is certified for, and can check for themselves that the record was not altered.',
  startHeading: 'Start here',
  console: 'Farmer app',
  consoleNote: 'Record plots, harvests and processing steps on a phone, even without a network.',
  office: 'Cooperative office',
  officeNote: 'Members, plots, lots, products, QR label printing and the exports for marketplaces.',
  demoHeading: 'Demo lots',
  demoIntro: 'The demo data is on. Open a lot’s origin page, or scan its QR code with a phone.',
  lot: (lotNumber: string) => `Lot ${lotNumber}`,
  qrAlt: (product: string, lotNumber: string) => `QR code of lot ${lotNumber}, ${product}`,
  developersHeading: 'For developers',
  apiDocs: 'API reference (OpenAPI 3.1, JSON)',
  docsHeading: 'Documentation',
  docs: {
    'getting-started.md': 'Getting started: running the service, demo accounts',
    'console.md': 'The farmer app and the cooperative office',
    'resolver-and-qr.md': 'QR codes, GS1 Digital Link and origin pages',
    'exports.md': 'Products, marketplaces and exports',
    'api.md': 'The JSON API',
    'operations.md': 'Operations: storage, backup, stopping the service',
  },
};

export const LANDING_MESSAGES: Record<Lang, LandingMessages> = { vi, en };
