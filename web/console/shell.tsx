import { readFileSync } from 'node:fs';
import { render } from 'preact-render-to-string';
import { CONSOLE_MESSAGES, type ConsoleLang } from './messages.js';

const STYLE = readFileSync(new URL('./style.css', import.meta.url), 'utf8').replace(/\n/g, '');

/** Where the browser fetches the console's script (bundled by web/browser-bundles.ts). */
export const CONSOLE_SCRIPT = '/assets/console.js';

/**
 * The console's HTML shell: the style sheet, an empty root the script renders into, and a
 * message for browsers without JavaScript. It holds no data, so the service worker can cache it
 * and open the console offline; the script reads `?lang=` itself, so one cached shell serves
 * both languages.
 */
export function renderConsoleShell(lang: ConsoleLang): string {
  const m = CONSOLE_MESSAGES[lang];
  const html = render(
    <html lang={m.htmlLang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{m.title}</title>
        <meta name="theme-color" content="#2f6b2f" />
        <link rel="manifest" href="/console/manifest.webmanifest" />
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
        <script type="module" src={CONSOLE_SCRIPT} />
      </head>
      <body>
        <div id="console">
          <header class="top">
            <span class="brand">{m.title}</span>
          </header>
          <main id="content">
            <p>{m.loading}</p>
            <noscript>
              <p class="error">{m.noScript}</p>
            </noscript>
          </main>
        </div>
      </body>
    </html>,
  );
  return `<!doctype html>${html}`;
}
