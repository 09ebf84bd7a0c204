import type { ProductOrigin } from '../../api/src/modules/resolver/service.js';
import type { ListingRecord, ProductRecord } from '../../api/src/store/port.js';
import { formatNumber, formatVnd } from './format.js';
import { Fact, Hero, heroImage, renderDocument } from './layout.js';
import type { Lang, Messages } from './messages.js';
import { nameOf, VOCABULARY_NAMES } from '../vocabulary-names.js';

const SCHEMA_AVAILABILITY: Record<ListingRecord['availability'], string> = {
  in_stock: 'https://schema.org/InStock',
  out_of_stock: 'https://schema.org/OutOfStock',
  preorder: 'https://schema.org/PreOrder',
  backorder: 'https://schema.org/BackOrder',
};

export function productTitle(product: ProductRecord | null, fallback: string, lang: Lang): string {
  if (!product) return fallback;
  return (lang === 'en' && product.name.en) || product.name.vi;
}

export function offersJsonLd(listings: ListingRecord[], product: ProductRecord): Array<Record<string, unknown>> {
  return listings.map((l) => ({
    '@type': 'Offer',
    url: l.url,
    ...((l.priceVnd ?? product.priceVnd) !== null ? { price: l.priceVnd ?? product.priceVnd, priceCurrency: 'VND' } : {}),
    availability: SCHEMA_AVAILABILITY[l.availability],
    seller: { '@type': 'Organization', name: nameOf(VOCABULARY_NAMES.vi.marketplaces, l.marketplace) },
  }));
}

/** Links to the product's marketplace listings, with the price in VND. */
export function BuyLinks({ listings, product, m }: { listings: ListingRecord[]; product: ProductRecord; m: Messages }) {
  if (!listings.length) return <p>{m.noListings}</p>;
  return (
    <div class="buy">
      {listings.map((l) => {
        const price = l.priceVnd ?? product.priceVnd;
        return (
          <a key={l.id} href={l.url} rel="noopener nofollow external">
            <span>
              <strong>{nameOf(m.marketplaces, l.marketplace)}</strong>
              {/* In stock goes without saying; anything else is said. */}
              {l.availability !== 'in_stock' ? <span class="small"> ({nameOf(m.availability, l.availability)})</span> : null}
            </span>
            {price !== null ? <span class="price">{formatVnd(price, m)}</span> : null}
            <span class="go">{m.buy}</span>
          </a>
        );
      })}
    </div>
  );
}

/** The page a GTIN alone resolves to: the product's master data and where to buy it. */
export function renderProductPage(origin: ProductOrigin, lang: Lang, m: Messages, self: string, chosen: boolean): string {
  const { product, owner, publicBaseUrl: base } = origin;
  const name = productTitle(product, product.name.vi, lang);
  const description = (lang === 'en' && product.description.en) || product.description.vi;
  const page = origin.links['https://gs1.org/voc/pip']![0]!.href;
  const hero = heroImage(origin.photos[0]?.renditions ?? [], base);
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name,
    description,
    gtin14: product.gtin,
    url: page,
    ...(product.brand ? { brand: { '@type': 'Brand', name: product.brand } } : {}),
    ...(hero ? { image: [hero.absolute] } : {}),
    countryOfOrigin: { '@type': 'Country', name: 'VN' },
    ...(origin.listings.length ? { offers: offersJsonLd(origin.listings, product) } : {}),
  };
  const body = (
    <>
      <Hero image={hero} alt={name} />
      <h1>{name}</h1>
      <dl class="facts">
        <Fact label={m.brand}>{product.brand}</Fact>
        <dt>{m.gtin}</dt>
        <dd>{product.gtin}</dd>
        <Fact label={m.netWeight}>{product.netWeight ? <>{formatNumber(product.netWeight.value, m)} {product.netWeight.unit}</> : null}</Fact>
        <Fact label={m.producedBy}>{owner?.name}</Fact>
        <Fact label="OCOP">{product.ocopStars ? m.ocopStars(product.ocopStars) : null}</Fact>
      </dl>
      <p>{description}</p>
      <p class="warn">{m.scanHint}</p>
      <h2>{m.buyHeading}</h2>
      <BuyLinks listings={origin.listings} product={product} m={m} />
    </>
  );
  return renderDocument(lang, m, { title: name, description, canonical: page, image: hero ? { url: hero.absolute, alt: name } : null, jsonLd, ogType: 'product', linkset: `${page}?linkType=linkset`, self, chosen }, body);
}
