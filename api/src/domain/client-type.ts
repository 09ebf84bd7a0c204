/**
 * The coarse kind of client that opened a lot's link, read from its User-Agent. It tells a
 * cooperative whether buyers scan with phones and keeps robots apart, while the User-Agent itself
 * is never kept: with the time, it narrows a scan down far more than a statistic needs to.
 *
 * The rule, first match wins:
 * 1. no User-Agent, or only spaces: other;
 * 2. a robot: a crawler (`…bot/1.2`, `(compatible; …bot`, crawler, spider, Cốc Cốc's coccocbot),
 *    a link-preview fetcher (facebookexternalhit, WhatsApp, Slack, Telegram, Discord, Skype) or
 *    an HTTP library or tool (curl, wget, python, Go, Java, okhttp, axios, node): bot;
 * 3. iPhone, iPad or iPod: ios;
 * 4. Android: android;
 * 5. Windows NT, Macintosh, X11 (Linux and BSD desktops) or CrOS: desktop;
 * 6. anything else: other.
 * iPads in Safari's default "desktop" mode send a Macintosh User-Agent and count as desktop: the
 * two cannot be told apart from the header. Phones whose model name contains "bot" (Cubot) are
 * not robots: only the crawler forms above are.
 */
export const CLIENT_TYPES = ['android', 'ios', 'desktop', 'bot', 'other'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

/** Real User-Agents are a few hundred characters; the rest is ignored so a huge header costs nothing. */
const MAX_USER_AGENT_CHARS = 512;

const ROBOT = [
  /bot\/\d|bot-[a-z]+\/\d|\(compatible;[^)]{0,100}bot|crawler|spider|slurp|coccocbot|headlesschrome/i,
  /facebookexternalhit|facebookcatalog|whatsapp\/|slackbot|telegrambot|discordbot|skypeuripreview|embedly/i,
  /^(?:curl|wget|python|go-http-client|java\/|okhttp|axios|node-fetch|node|undici|libwww-perl|apache-httpclient|postmanruntime|httpie)\b/i,
];
const IOS = /\b(?:iPhone|iPad|iPod)\b/;
const ANDROID = /\bAndroid\b/i;
const DESKTOP = /\bWindows NT\b|\bMacintosh\b|\bX11\b|\bCrOS\b/;

/** The client type of a User-Agent header value (undefined when the request had none). */
export function classifyUserAgent(userAgent: string | undefined): ClientType {
  const ua = (userAgent ?? '').slice(0, MAX_USER_AGENT_CHARS).trim();
  if (!ua) return 'other';
  if (ROBOT.some((pattern) => pattern.test(ua))) return 'bot';
  if (IOS.test(ua)) return 'ios';
  if (ANDROID.test(ua)) return 'android';
  if (DESKTOP.test(ua)) return 'desktop';
  return 'other';
}

/** Whether a stored value is one of the client types (a guard for rows read back from a database). */
export function isClientType(value: unknown): value is ClientType {
  return (CLIENT_TYPES as readonly unknown[]).includes(value);
}

/** A count for every client type, all zero: answers keep the same keys whatever was scanned. */
export function zeroClientTypeCounts(): Record<ClientType, number> {
  return { android: 0, ios: 0, desktop: 0, bot: 0, other: 0 };
}
