import type { ConsoleLang } from '../../messages.js';

/** Words every cooperative screen shares: the navigation, loading and failure states. */
const vi = {
  locale: 'vi-VN',
  nav: 'Các mục của hợp tác xã',
  overview: 'Tổng quan',
  members: 'Thành viên và bản đồ',
  lots: 'Lô hàng',
  merge: 'Gộp lô',
  products: 'Sản phẩm và gian hàng',
  exports: 'Xuất dữ liệu',
  loading: 'Đang tải…',
  needsNetwork: 'Các mục của hợp tác xã cần có mạng. Hãy kết nối lại rồi thử lại.',
  tryAgain: 'Thử lại',
  // Overview
  overviewHeading: 'Hôm nay ở hợp tác xã',
  countMembers: 'hộ thành viên',
  countPlots: 'thửa đất',
  countLots: 'lô hàng',
  countUnpublished: 'lô chưa công bố',
  countProducts: 'sản phẩm',
  fieldTasks: 'Ghi tại vườn',
  recordHarvest: 'Ghi thu hoạch',
  addStep: 'Thêm công đoạn',
  registerPlot: 'Đăng ký thửa đất',
  sync: 'Đồng bộ',
};

const en: typeof vi = {
  locale: 'en-GB',
  nav: 'Cooperative sections',
  overview: 'Overview',
  members: 'Members and map',
  lots: 'Lots',
  merge: 'Merge lots',
  products: 'Products and listings',
  exports: 'Exports',
  loading: 'Loading…',
  needsNetwork: 'The cooperative screens need a connection. Connect again, then try again.',
  tryAgain: 'Try again',
  overviewHeading: 'Today at the cooperative',
  countMembers: 'member households',
  countPlots: 'plots',
  countLots: 'lots',
  countUnpublished: 'lots not published',
  countProducts: 'products',
  fieldTasks: 'Record in the field',
  recordHarvest: 'Record a harvest',
  addStep: 'Add a step',
  registerPlot: 'Register a plot',
  sync: 'Sync',
};

export const COMMON_MESSAGES: Record<ConsoleLang, typeof vi> = { vi, en };
