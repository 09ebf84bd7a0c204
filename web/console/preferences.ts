import type { ConsoleLang } from './messages.js';

/** Where the console lives; the service worker's scope. */
export const CONSOLE_SCOPE_PATH = '/console';

const LANG_KEY = 'farm-trace-console-lang';

export function rememberedLang(): string | null {
  return localStorage.getItem(LANG_KEY);
}

/** Remembers the language on this device and shows it in the address (`?lang=`), so a shared link opens in it. */
export function chooseLang(lang: ConsoleLang): void {
  localStorage.setItem(LANG_KEY, lang);
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.replaceState(history.state, '', url);
}
