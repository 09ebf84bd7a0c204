/**
 * What the demo seed creates that people are told about: the accounts to log in with (the start
 * banner prints them, the README lists them) and the published lots (the landing page links to
 * them). The seed itself (demo.ts) creates exactly these.
 */
import { withCheckDigit } from '../api/src/domain/gs1/keys.js';

export const DEMO_PASSWORD = 'demo-password';
/** The demo farmer's PIN, with the phone 0912 345 678 (docs/getting-started.md). */
export const DEMO_FARMER_PIN = '582046';

/** GTIN-14 with the Vietnam prefix 893 and a valid check digit. */
export const demoGtin = (item: string): string => withCheckDigit(`0893612345${item}`);

/** An account logs in with an email and its password, or a phone number and its PIN. */
export interface DemoAccount {
  email?: string;
  password?: string;
  phone?: string;
  pin?: string;
  /** Who logs in with it, in a few words (English, for the terminal and the README). */
  who: string;
  role: 'admin' | 'farmer' | 'inspector';
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: 'coop@demo.test', password: DEMO_PASSWORD, who: 'the coffee cooperative’s office (HTX Krông Năng)', role: 'admin' },
  { phone: '0912 345 678', pin: DEMO_FARMER_PIN, who: 'a member farmer (Y Bhim Êban), the console’s first way in', role: 'farmer' },
  { email: 'farmer@demo.test', password: DEMO_PASSWORD, who: 'the same farmer, by email', role: 'farmer' },
  { email: 'processor@demo.test', password: DEMO_PASSWORD, who: 'the roaster (Rang xay Buôn Ma Thuột)', role: 'admin' },
  { email: 'inspector@demo.test', password: DEMO_PASSWORD, who: 'the certification body', role: 'inspector' },
  { email: 'other-coop@demo.test', password: DEMO_PASSWORD, who: 'the tea cooperative (HTX Chè Tân Cương)', role: 'admin' },
];

/** The lots the seed publishes, by GTIN and lot number: what a buyer's scan opens. */
export const DEMO_PUBLISHED_LOTS: ReadonlyArray<{ gtin: string; lotNumber: string }> = [
  { gtin: demoGtin('002'), lotNumber: 'KN25R-A' },
  { gtin: demoGtin('002'), lotNumber: 'KN25R-B' },
  { gtin: demoGtin('003'), lotNumber: 'EHO-2512-S1' },
  { gtin: demoGtin('101'), lotNumber: 'TC-2604-P1' },
];
