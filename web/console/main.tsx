import { render } from 'preact';
import { App } from './app.js';
import { ConsoleDb } from './console-db.js';
import { CONSOLE_MESSAGES, pickConsoleLang } from './messages.js';
import { CONSOLE_SCOPE_PATH, rememberedLang } from './preferences.js';

/** The console's entry point: opens the local database, renders the app, installs the offline cache. */
async function boot(): Promise<void> {
  const root = document.getElementById('console');
  const content = document.getElementById('content');
  if (!root) return;
  const lang = pickConsoleLang(new URLSearchParams(location.search).get('lang'), rememberedLang());
  let db: ConsoleDb;
  try {
    db = await ConsoleDb.open();
  } catch {
    // Every write goes through the IndexedDB outbox: without it the console would lose records.
    const message = document.createElement('p');
    message.className = 'error';
    message.textContent = CONSOLE_MESSAGES[lang].noStorage;
    content?.replaceChildren(message);
    return;
  }
  root.textContent = '';
  render(<App db={db} initialLang={lang} />, root);
  if ('serviceWorker' in navigator) {
    // The scope has no trailing slash so that /console itself is covered (the server allows it).
    navigator.serviceWorker.register(`${CONSOLE_SCOPE_PATH}/sw.js`, { scope: CONSOLE_SCOPE_PATH }).catch(() => undefined);
  }
}

void boot();
