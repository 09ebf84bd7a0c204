/** An account the terminal lists: an email or a phone number, with its password or PIN. */
export interface BannerAccount {
  email?: string;
  phone?: string;
  password?: string;
  pin?: string;
  who: string;
}

/**
 * The few lines `npm start` prints for the person at the terminal once the server listens: where
 * to go, and the demo accounts to log in with. Plain text, not a log line (see server.ts).
 */
export function formatStartBanner(o: { baseUrl: string; demoLotUrl: string | null; accounts: readonly BannerAccount[] }): string {
  const rows: Array<[string, string]> = [
    ['Home page', `${o.baseUrl}/`],
    ['Farmer app and cooperative office', `${o.baseUrl}/console`],
    ...(o.demoLotUrl ? [['A demo lot, as a buyer sees it', o.demoLotUrl] as [string, string]] : []),
    ['API reference (OpenAPI)', `${o.baseUrl}/api/v1/openapi.json`],
  ];
  const labelWidth = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = ['', 'farm-trace is running.', ...rows.map(([label, url]) => `  ${`${label}:`.padEnd(labelWidth)}${url}`)];
  if (o.accounts.length) {
    const logins = o.accounts.map((a) => [a.email ?? a.phone ?? '', a.password ?? (a.pin ? `PIN ${a.pin}` : ''), a.who]);
    const w0 = Math.max(...logins.map((l) => l[0]!.length)) + 2;
    const w1 = Math.max(...logins.map((l) => l[1]!.length)) + 2;
    lines.push('', 'Demo accounts (DEMO_SEED=0 turns the demo data off):', ...logins.map(([login, secret, who]) => `  ${login!.padEnd(w0)}${secret!.padEnd(w1)}${who}`));
  }
  return `${lines.join('\n')}\n\n`;
}
