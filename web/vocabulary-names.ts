import type { QuantityUnit } from '../api/src/domain/quantity.js';
import type { Availability, CertificationScheme, Crop, MarketplaceName, OrganizationType, Role, StepType } from '../api/src/domain/vocabulary.js';

/**
 * The human names of the service's vocabularies (crops, steps, certification schemes,
 * marketplaces…) in each language the screens speak. The console, the cooperative office and
 * the public pages all read them from here, so a crop or a step is called the same everywhere.
 */
export const UI_LANGUAGES = ['vi', 'en'] as const;
export type UiLang = (typeof UI_LANGUAGES)[number];

/**
 * A table that names every K and is read with any word: records may carry a word from another
 * system (a crop typed by hand, a CBV step, another scheme), which screens then show as it is.
 */
export type OpenTable<K extends string> = Record<K, string> & Partial<Record<string, string>>;

interface VocabularyNames {
  crops: OpenTable<Crop>;
  stepTypes: OpenTable<StepType>;
  certificationSchemes: OpenTable<CertificationScheme>;
  marketplaces: OpenTable<MarketplaceName>;
  availabilities: OpenTable<Availability>;
  organizationTypes: OpenTable<OrganizationType>;
  roles: OpenTable<Role>;
  units: Record<QuantityUnit, string>;
}

const vi: VocabularyNames = {
  crops: {
    'coffee-robusta': 'Cà phê Robusta',
    'coffee-arabica': 'Cà phê Arabica',
    tea: 'Chè',
    cashew: 'Điều',
    rubber: 'Cao su',
    pepper: 'Hồ tiêu',
    durian: 'Sầu riêng',
    macadamia: 'Mắc ca',
  },
  stepTypes: {
    drying: 'Phơi, sấy',
    fermenting: 'Lên men',
    hulling: 'Xát vỏ',
    sorting: 'Phân loại',
    roasting: 'Rang, sao',
    grinding: 'Xay',
    packing: 'Đóng gói',
    storage: 'Lưu kho',
    shipping: 'Vận chuyển',
    receiving: 'Tiếp nhận',
    inspection: 'Kiểm tra, đánh giá',
  },
  certificationSchemes: {
    VietGAP: 'VietGAP (TCVN 11892-1:2017)',
    organic: 'Hữu cơ',
    RainforestAlliance: 'Rainforest Alliance',
    '4C': '4C',
    OCOP: 'OCOP',
    GlobalGAP: 'GLOBALG.A.P.',
    other: 'Chứng nhận khác',
  },
  marketplaces: {
    shopee: 'Shopee',
    lazada: 'Lazada',
    tiktok_shop: 'TikTok Shop',
    tiki: 'Tiki',
    postmart: 'Postmart',
    voso: 'Voso',
    own_shop: 'Cửa hàng riêng',
    amazon: 'Amazon',
    other: 'Nơi khác',
  },
  availabilities: { in_stock: 'Còn hàng', out_of_stock: 'Hết hàng', preorder: 'Đặt trước', backorder: 'Chờ nhập hàng' },
  organizationTypes: {
    cooperative: 'Hợp tác xã',
    farm_household: 'Nông hộ',
    processor: 'Cơ sở chế biến',
    trader: 'Thương nhân',
    certification_body: 'Tổ chức chứng nhận',
  },
  roles: { admin: 'Quản trị', operator: 'Cán bộ nghiệp vụ', farmer: 'Nông dân', inspector: 'Kiểm tra viên' },
  units: { kg: 'kg', t: 'tấn', bag: 'bao' },
};

const en: VocabularyNames = {
  crops: {
    'coffee-robusta': 'Robusta coffee',
    'coffee-arabica': 'Arabica coffee',
    tea: 'Tea',
    cashew: 'Cashew',
    rubber: 'Rubber',
    pepper: 'Black pepper',
    durian: 'Durian',
    macadamia: 'Macadamia',
  },
  stepTypes: {
    drying: 'Drying',
    fermenting: 'Fermenting',
    hulling: 'Hulling',
    sorting: 'Sorting',
    roasting: 'Roasting',
    grinding: 'Grinding',
    packing: 'Packing',
    storage: 'Storage',
    shipping: 'Shipping',
    receiving: 'Receiving',
    inspection: 'Inspection',
  },
  certificationSchemes: {
    VietGAP: 'VietGAP (TCVN 11892-1:2017)',
    organic: 'Organic',
    RainforestAlliance: 'Rainforest Alliance',
    '4C': '4C',
    OCOP: 'OCOP',
    GlobalGAP: 'GLOBALG.A.P.',
    other: 'Other certification',
  },
  marketplaces: {
    shopee: 'Shopee',
    lazada: 'Lazada',
    tiktok_shop: 'TikTok Shop',
    tiki: 'Tiki',
    postmart: 'Postmart',
    voso: 'Voso',
    own_shop: 'Own shop',
    amazon: 'Amazon',
    other: 'Elsewhere',
  },
  availabilities: { in_stock: 'In stock', out_of_stock: 'Out of stock', preorder: 'Pre-order', backorder: 'Back-order' },
  organizationTypes: {
    cooperative: 'Cooperative',
    farm_household: 'Farm household',
    processor: 'Processor',
    trader: 'Trader',
    certification_body: 'Certification body',
  },
  roles: { admin: 'Administrator', operator: 'Operator', farmer: 'Farmer', inspector: 'Inspector' },
  units: { kg: 'kg', t: 't', bag: 'bag' },
};

export const VOCABULARY_NAMES: Record<UiLang, VocabularyNames> = { vi, en };

/** The name of `word` in `table`, or the word itself when the table does not know it. */
export const nameOf = (table: Partial<Record<string, string>>, word: string): string => table[word] ?? word;
