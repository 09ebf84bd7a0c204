import type { LandingPageRenderer, LandingView } from '../../api/src/modules/landing/landing-page-renderer.js';
import { renderDocument } from '../origin-page/layout.js';
import { MESSAGES, pickLanguage, type Lang } from '../origin-page/messages.js';
import { LANDING_DOCS, LANDING_MESSAGES } from './messages.js';

/** A same-origin link in the page's language (English adds `?lang=en`; Vietnamese is the default). */
function inLang(path: string, lang: Lang): string {
  if (lang === 'vi') return path;
  const [base = '', fragment] = path.split('#');
  return `${base}${base.includes('?') ? '&' : '?'}lang=${lang}${fragment !== undefined ? `#${fragment}` : ''}`;
}

function renderLanding(view: LandingView, lang: Lang, chosen: boolean): string {
  const m = LANDING_MESSAGES[lang];
  const docs = LANDING_DOCS.filter((name) => view.docs.includes(name));
  const body = (
    <>
      <h1>{m.title}</h1>
      <p>{m.intro}</p>

      <h2>{m.startHeading}</h2>
      <ul class="plain">
        <li>
          <a href={inLang(view.consolePath, lang)}>
            <strong>{m.console}</strong>
          </a>
          <br />
          <span class="small">{m.consoleNote}</span>
        </li>
        <li>
          <a href={inLang(view.officePath, lang)}>
            <strong>{m.office}</strong>
          </a>
          <br />
          <span class="small">{m.officeNote}</span>
        </li>
      </ul>

      {view.demoLots.length ? (
        <>
          <h2>{m.demoHeading}</h2>
          <p>{m.demoIntro}</p>
          <ul class="plain demo-lots">
            {view.demoLots.map((lot) => (
              <li key={lot.path}>
                <img src={lot.qrPath} width={96} height={96} alt={m.qrAlt(lot.product, lot.lotNumber)} loading="lazy" />
                <span>
                  <a href={inLang(lot.path, lang)}>{lot.product}</a>
                  <br />
                  <span class="small">{m.lot(lot.lotNumber)}</span>
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>{m.developersHeading}</h2>
      <ul class="plain">
        <li>
          <a href={view.openApiPath}>{m.apiDocs}</a>
        </li>
      </ul>
      {docs.length ? (
        <>
          <h2>{m.docsHeading}</h2>
          <ul class="plain">
            {docs.map((name) => (
              <li key={name}>
                <a href={`/docs/${name}`} hrefLang="en">
                  {m.docs[name]}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
  return renderDocument(
    lang,
    MESSAGES[lang],
    { title: m.title, description: m.description, canonical: `${view.publicBaseUrl}/`, image: null, ogType: 'website', linkset: null, self: '/', chosen },
    body,
  );
}

/** The landing page, as the landing module renders it (wired in by app.ts). */
export const landingPage: LandingPageRenderer = { language: pickLanguage, page: renderLanding };
