import type { Quantity } from '../../api/src/domain/quantity.js';
import type { Messages } from './messages.js';

/**
 * Dates are shown as recorded: in the offset the event was recorded with (a farmer's 08:00 stays
 * 08:00), with the offset named only when it is not Vietnam's.
 */
export function formatDateTime(iso: string, m: Messages): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::[\d.]+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(iso);
  if (!match) return iso;
  const [, y, mo, d, h, mi, offset] = match;
  const date = formatDate(`${y}-${mo}-${d}`, m);
  if (h === undefined) return date;
  const zone = !offset || offset === '+07:00' ? '' : ` (UTC${offset === 'Z' ? '' : offset})`;
  return `${date} ${h}:${mi}${zone}`;
}

export function formatDate(isoDate: string, m: Messages): string {
  const [y, mo, d] = isoDate.slice(0, 10).split('-');
  if (!y || !mo || !d) return isoDate;
  if (m.locale.startsWith('vi')) return `${d}/${mo}/${y}`;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).toLocaleDateString(m.locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export function formatVnd(amount: number, m: Messages): string {
  return new Intl.NumberFormat(m.locale, { style: 'currency', currency: 'VND', maximumFractionDigits: 0 }).format(amount);
}

export function formatNumber(value: number, m: Messages, digits = 2): string {
  return new Intl.NumberFormat(m.locale, { maximumFractionDigits: digits }).format(value);
}

/** GS1 AI 17 (expiry) and 15/16 (best before, sell by) are YYMMDD; DD 00 means the month's last day. */
export function gs1Date(yymmdd: string): string | null {
  const match = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  if (!match) return null;
  const [, yy, mm, dd] = match;
  // GS1 General Specifications 7.12: the century is chosen so the year lies within −49…+50 of now.
  const current = new Date().getUTCFullYear();
  let year = Math.floor(current / 100) * 100 + Number(yy);
  if (year - current > 50) year -= 100;
  else if (current - year > 49) year += 100;
  const day = dd === '00' ? new Date(Date.UTC(year, Number(mm), 0)).getUTCDate() : Number(dd);
  return `${year}-${mm}-${String(day).padStart(2, '0')}`;
}

export function formatQuantity(q: Quantity, m: Messages): string {
  const amount = `${formatNumber(q.value, m)} ${m.units[q.unit]}`;
  return q.bagKg ? `${amount} × ${formatNumber(q.bagKg, m)} kg` : amount;
}
