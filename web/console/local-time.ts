/** Dates and times as the phone's clock and time zone give them, in the forms the API takes. */
const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');

/** YYYY-MM-DD of the local day (a harvest date). */
export function localDate(at: Date = new Date()): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** YYYY-MM-DDTHH:MM of the local time: the value of an `<input type="datetime-local">`. */
export function localDateTimeInput(at: Date = new Date()): string {
  return `${localDate(at)}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** An `<input type="datetime-local">` value with the phone's UTC offset, so the API records the farmer's own time. */
export function withLocalOffset(value: string): string {
  const at = new Date(value);
  const minutes = -at.getTimezoneOffset();
  return `${value.length === 16 ? `${value}:00` : value}${minutes >= 0 ? '+' : '-'}${pad(Math.trunc(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Day, month and year as two, two and four digits: 05/11/2026 in Vietnamese (and in British English). */
const DAY: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric' };
/** Hours on the 24-hour clock: 14:05. */
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/** A YYYY-MM-DD day as people read it in the language's locale (25/11/2026 in Vietnamese). */
export function readableDay(day: string, locale: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year!, month! - 1, date!).toLocaleDateString(locale, DAY);
}

/**
 * A date-time from the API on this device's clock, day first then time (25/11/2026 14:05), the
 * one form the console and the office show times in. Intl's own short vi-VN form puts the time
 * first, so the two parts are formatted apart and joined.
 */
export function readableDateTime(iso: string, locale: string): string {
  const at = new Date(iso);
  return `${at.toLocaleDateString(locale, DAY)} ${at.toLocaleTimeString(locale, TIME)}`;
}
