import { readFileSync } from 'node:fs';
import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import { renditionUrl } from '../../api/src/media/rendition-urls.js';
import { MESSAGES, type Lang, type Messages } from './messages.js';

const STYLE = readFileSync(new URL('./style.css', import.meta.url), 'utf8').replace(/\n/g, '');

export interface HeadInfo {
  title: string;
  description: string;
  /**
   * The page's Digital Link: it serves the default language (Vietnamese) to a client that states
   * none, so it is the Vietnamese version's canonical URL and the x-default; the English version's
   * is `?lang=en`, as the linkset's pip links say.
   */
  canonical: string | null;
  /** og:image: an absolute URL (Zalo and Facebook fetch it), with its size, type and text alternative when known. */
  image: { url: string; alt: string; width?: number; height?: number; type?: string } | null;
  /** schema.org data, embedded as JSON-LD. */
  jsonLd?: Record<string, unknown> | undefined;
  ogType: 'product' | 'website';
  linkset: string | null;
  /** This page's path and query without `lang`, for the language switch. */
  self: string;
  /**
   * The language was asked for by `?lang=`. Without it the page answers at the Digital Link itself
   * in the language Accept-Language picked (the x-default, locale-adaptive URL), and names that URL
   * as its canonical: a page's canonical is never another language's version.
   */
  chosen: boolean;
}

/** A page's main photo: the 640 px rendition (else the largest), with every rendition in the srcset. */
export interface HeroImage {
  /** Same-origin paths, so the CSP's img-src 'self' holds whatever host name the page was reached by. */
  src: string;
  srcSet: string;
  /** Absolute, for og:image and JSON-LD. */
  absolute: string;
}

export function heroImage(renditions: Array<{ width: number; sha256: string }>, publicBaseUrl: string): HeroImage | null {
  if (!renditions.length) return null;
  const sorted = [...renditions].sort((a, b) => a.width - b.width);
  const medium = sorted.find((r) => r.width >= 640) ?? sorted[sorted.length - 1]!;
  return {
    src: renditionUrl('', medium.sha256),
    srcSet: sorted.map((r) => `${renditionUrl('', r.sha256)} ${r.width}w`).join(', '),
    absolute: renditionUrl(publicBaseUrl, medium.sha256),
  };
}

export function Hero({ image, alt }: { image: HeroImage | null; alt: string }) {
  if (!image) return null;
  return <img class="hero" src={image.src} srcSet={image.srcSet} sizes="(max-width: 720px) 100vw, 688px" width={640} height={480} alt={alt} />;
}

/** One label and value of a facts list (`<dl class="facts">`); nothing at all when the value is empty. */
export function Fact({ label, children }: { label: string; children?: ComponentChildren }) {
  if (children === null || children === undefined || children === '' || children === false) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** JSON inside <script> must not be able to close the element: `<` is written as \u003c. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function withLang(url: string, lang: Lang): string {
  return `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;
}

/** The URL of one language version: the Digital Link itself for Vietnamese, `?lang=en` for English. */
function languageVersion(canonical: string, lang: Lang): string {
  return lang === 'vi' ? canonical : withLang(canonical, lang);
}

/**
 * The document every public page shares: language, meta and Open Graph tags, the inline style
 * sheet, the language switch. Preact escapes every text and attribute value it renders.
 */
export function renderDocument(lang: Lang, m: Messages, head: HeadInfo, body: ComponentChildren, script?: string): string {
  const other: Lang = lang === 'vi' ? 'en' : 'vi';
  const html = render(
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{head.title}</title>
        <meta name="description" content={head.description} />
        <meta name="theme-color" content="#2f6b2f" />
        {/* No icon of its own: without this a browser asks for /favicon.ico and logs the 404. */}
        <link rel="icon" href="data:," />
        {head.canonical ? (
          <>
            <link rel="canonical" href={!head.chosen ? head.canonical : languageVersion(head.canonical, lang)} />
            <link rel="alternate" hrefLang="vi" href={languageVersion(head.canonical, 'vi')} />
            <link rel="alternate" hrefLang="en" href={languageVersion(head.canonical, 'en')} />
            <link rel="alternate" hrefLang="x-default" href={head.canonical} />
            <meta property="og:url" content={!head.chosen ? head.canonical : languageVersion(head.canonical, lang)} />
          </>
        ) : null}
        {head.linkset ? <link rel="alternate" type="application/linkset+json" href={head.linkset} /> : null}
        <meta property="og:type" content={head.ogType} />
        <meta property="og:title" content={head.title} />
        <meta property="og:description" content={head.description} />
        <meta property="og:locale" content={m.ogLocale} />
        <meta property="og:site_name" content={m.siteName} />
        <meta property="og:locale:alternate" content={MESSAGES[other].ogLocale} />
        {head.image ? (
          <>
            <meta property="og:image" content={head.image.url} />
            {head.image.type ? <meta property="og:image:type" content={head.image.type} /> : null}
            {head.image.width ? <meta property="og:image:width" content={String(head.image.width)} /> : null}
            {head.image.height ? <meta property="og:image:height" content={String(head.image.height)} /> : null}
            <meta property="og:image:alt" content={head.image.alt} />
            <meta name="twitter:card" content="summary_large_image" />
            <meta name="twitter:image:alt" content={head.image.alt} />
          </>
        ) : null}
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
        {head.jsonLd ? <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: scriptSafeJson(head.jsonLd) }} /> : null}
        {script ? <script type="module" src={script} /> : null}
      </head>
      <body>
        <a class="skip" href="#content">
          {m.skipToContent}
        </a>
        <header class="top">
          <span>{m.siteName}</span>
          <a href={withLang(head.self, other)} hrefLang={other} lang={other}>
            {m.otherLanguage}
          </a>
        </header>
        <main id="content">{body}</main>
      </body>
    </html>,
  );
  return `<!doctype html>${html}`;
}
