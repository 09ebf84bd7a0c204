import type { LotOrigin } from '../../api/src/modules/resolver/service.js';
import { SHARE_IMAGE, shareImageUrl, type ShareCard } from '../../api/src/media/share-card.js';
import { renditionUrl } from '../../api/src/media/rendition-urls.js';
import { formatDate } from './format.js';
import { renderDocument } from './layout.js';
import { LotCertificates, LotTechnicalDetails, LotVerification } from './lot-details.js';
import { LotIntro } from './lot-intro.js';
import { LotJourney } from './lot-journey.js';
import { lotView, type LotView } from './lot-view.js';
import type { Lang, Messages } from './messages.js';
import { offersJsonLd } from './product-page.js';

/** The script that re-checks the signed record in the buyer's browser (served from /assets). */
export const ORIGIN_PAGE_SCRIPT = '/assets/origin-page.js';

/** The rendition drawn on the share image and in JSON-LD: the 640 px one, else the largest. */
function mainRendition(renditions: LotView['photo']): string | null {
  const sorted = [...renditions].sort((a, b) => a.width - b.width);
  return (sorted.find((r) => r.width >= 640) ?? sorted[sorted.length - 1])?.sha256 ?? null;
}

function shareCardOf(view: LotView): ShareCard {
  const { m } = view;
  const origin = m.originIn(view.provinces.join(', ') || '—');
  const producer = [...view.producers.map((p) => p.name), ...(view.packer ? [view.packer.name] : [])].join(' · ');
  return { photo: mainRendition(view.photo), label: m.siteName, title: view.name, origin, producer, footer: m.shareFooter, alt: m.shareAlt(view.name, origin, producer) };
}

/** What the lot's share image shows in `lang` (the resolver draws it; the page names it in og:image). */
export function lotShareCard(origin: LotOrigin, lang: Lang, m: Messages): ShareCard {
  return shareCardOf(lotView(origin, lang, m));
}

/** The public origin page of a published lot. */
export function renderLotPage(origin: LotOrigin, lang: Lang, m: Messages, self: string, chosen: boolean): string {
  const view = lotView(origin, lang, m);
  const { batch, product, publicBaseUrl: base } = origin;
  const { owner } = view;
  const card = shareCardOf(view);
  const photo = mainRendition(view.photo);
  const harvest = view.story.harvest ? formatDate(view.story.harvest.to, m) : null;
  const description = [
    view.producers.length ? `${m.producedBy} ${view.producers.map((p) => p.name).join(', ')}` : '',
    card.origin,
    harvest ? `${m.harvest}: ${harvest}` : '',
    origin.verification.valid ? m.checkedMatch : '',
  ]
    .filter(Boolean)
    .join(' · ');

  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: view.name,
    ...(product?.description.vi ? { description: (lang === 'en' && product.description.en) || product.description.vi } : {}),
    ...(batch.gtin ? { gtin14: batch.gtin } : {}),
    ...(product?.brand ? { brand: { '@type': 'Brand', name: product.brand } } : {}),
    ...(photo ? { image: [renditionUrl(base, photo)] } : {}),
    url: view.page,
    productID: batch.lotNumber,
    countryOfOrigin: { '@type': 'Country', name: 'VN' },
    ...(owner ? { manufacturer: { '@type': 'Organization', name: owner.name, address: { '@type': 'PostalAddress', addressRegion: owner.address.province, addressCountry: 'VN' } } } : {}),
    ...(origin.listings.length && product ? { offers: offersJsonLd(origin.listings, product) } : {}),
  };

  const body = (
    <>
      <LotIntro view={view} />
      <LotJourney view={view} />
      <LotCertificates view={view} />
      <LotVerification view={view} />
      <LotTechnicalDetails view={view} />
    </>
  );

  return renderDocument(
    lang,
    m,
    {
      title: `${view.name} · ${m.siteName}`,
      description,
      canonical: view.page,
      image: { url: shareImageUrl(base, batch.code, lang, card), width: SHARE_IMAGE.width, height: SHARE_IMAGE.height, type: SHARE_IMAGE.type, alt: card.alt },
      jsonLd,
      ogType: 'product',
      linkset: `${view.page}?linkType=linkset`,
      self,
      chosen,
    },
    body,
    ORIGIN_PAGE_SCRIPT,
  );
}
