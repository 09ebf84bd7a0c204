import { useState } from 'preact/hooks';
import type { BatchSummary } from '../api-client.js';
import { ScreenHeading } from '../screens/screen-heading.js';
import { NumberField, numberOf } from '../number-field.js';
import { coopGet, FailureNotice, fetchAll, FormSubmit, LoadedView, useAction, useCoop, useLoad, useMessages } from './coop-context.js';
import { COMMON_MESSAGES } from './messages/common.js';
import { PRODUCTS_MESSAGES } from './messages/products.js';
import { lotLabel } from './lot-display.js';
import { CatalogFields, catalogBody, draftOf, formatVnd, marketplaceName, type Listing, type Product, type Readiness } from './products-screen.js';
import { AVAILABILITIES, MARKETPLACES } from '../../../api/src/domain/vocabulary.js';

type Messages = (typeof PRODUCTS_MESSAGES)['vi'];

/** A listing's price is in whole đồng. */
const PRICE = { whole: true } as const;
type Gap = Readiness['marketplaces'][string]['gaps'][number];

interface ProductPage {
  product: Product;
  readiness: Readiness;
  listings: Listing[];
  lots: BatchSummary[];
}

function gapText(m: Messages, gap: Gap): string {
  switch (gap.code) {
    case 'name_too_long':
      return m.gap.name_too_long(gap.limit ?? 0, gap.now ?? 0);
    case 'too_many_images':
      return m.gap.too_many_images(gap.limit ?? 0, gap.now ?? 0);
    case 'description_too_short':
      return m.gap.description_too_short(gap.limit ?? 0);
    default: {
      const words = m.gap[gap.code as keyof Messages['gap']];
      return typeof words === 'string' ? words : gap.code;
    }
  }
}

/** Rendition addresses name the public host; the console's own server serves the same path, which its CSP allows. */
const sameOrigin = (url: string) => new URL(url, location.origin).pathname;

/** One product: its catalog data and an edit form, its photos, marketplace readiness, and listings. */
export function ProductScreen({ id }: { id: string }) {
  const m = useMessages(PRODUCTS_MESSAGES);
  const page = useLoad<ProductPage>(`product:${id}`, async (coop) => {
    const path = `/api/v1/products/${encodeURIComponent(id)}`;
    const [product, readiness, listings, lots] = await Promise.all([
      coopGet<Product>(coop, path),
      coopGet<Readiness>(coop, `${path}/readiness`),
      fetchAll<Listing>(coop, '/api/v1/listings'),
      fetchAll<BatchSummary>(coop, '/api/v1/batches'),
    ]);
    return { product, readiness, listings: listings.filter((l) => l.productId === id), lots };
  });
  return (
    <>
      <p>
        <a href="#/coop/products">← {m.back}</a>
      </p>
      <ScreenHeading>{page.data?.product.name.vi ?? m.detailsHeading}</ScreenHeading>
      <LoadedView loaded={page}>
        {(p) => (
          <>
            <ProductDetails page={p} />
            <ProductImages product={p.product} onUploaded={page.reload} />
            <ReadinessChecklist readiness={p.readiness} />
            <Listings product={p.product} listings={p.listings} onChanged={page.reload} />
            <EditProduct key={p.product.id} product={p.product} lots={p.lots} onSaved={page.reload} />
          </>
        )}
      </LoadedView>
    </>
  );
}

function ProductDetails({ page: { product: p, lots } }: { page: ProductPage }) {
  const m = useMessages(PRODUCTS_MESSAGES);
  const { locale } = useMessages(COMMON_MESSAGES);
  const number = (value: number) => value.toLocaleString(locale);
  return (
    <dl class="summary" id="product-details">
      {p.name.en ? (
        <>
          <dt>{m.nameEnShort}</dt>
          <dd lang="en">{p.name.en}</dd>
        </>
      ) : null}
      <dt>{m.colGtin}</dt>
      <dd class="code">{p.gtin}</dd>
      <dt>{m.digitalLink}</dt>
      <dd>
        <a href={p.digitalLink} id="digital-link">
          {p.digitalLink}
        </a>
      </dd>
      <dt>{m.colStock}</dt>
      <dd id="product-stock">{number(p.stock)}</dd>
      <dt>{m.colPrice}</dt>
      <dd id="product-price">{formatVnd(p.priceVnd, locale) ?? m.none}</dd>
      <dt>{m.colOcop}</dt>
      <dd>{p.ocopStars ? m.stars(p.ocopStars) : m.none}</dd>
      <dt>{m.brandShort}</dt>
      <dd>{p.brand ?? m.none}</dd>
      <dt>{m.netWeight}</dt>
      <dd>{p.netWeight ? `${number(p.netWeight.value)} ${p.netWeight.unit}` : m.none}</dd>
      <dt>{m.packageWeight}</dt>
      <dd>{p.packageWeightKg === null ? m.none : number(p.packageWeightKg)}</dd>
      <dt>{m.dimensions}</dt>
      <dd>{p.dimensionsCm ? [p.dimensionsCm.length, p.dimensionsCm.width, p.dimensionsCm.height].map(number).join(' × ') : m.none}</dd>
      <dt>{m.googleCategory}</dt>
      <dd>{p.googleCategory ?? m.none}</dd>
      <dt>{m.lotsOfProduct}</dt>
      <dd>
        {p.batchIds.length === 0
          ? m.none
          : p.batchIds.map((lotId, i) => {
              const lot = lots.find((l) => l.id === lotId);
              return (
                <span key={lotId}>
                  {i > 0 ? ', ' : null}
                  <a href={`#/coop/lots/${encodeURIComponent(lotId)}`}>{lot ? lotLabel(lot) : lotId}</a>
                </span>
              );
            })}
      </dd>
      <dt>{m.description}</dt>
      <dd>{p.description.vi}</dd>
    </dl>
  );
}

function ProductImages({ product, onUploaded }: { product: Product; onUploaded: () => void }) {
  const m = useMessages(PRODUCTS_MESSAGES);
  const action = useAction();
  const [files, setFiles] = useState<File[]>([]);
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [inputKey, setInputKey] = useState(0);

  const submit = async (event: Event) => {
    event.preventDefault();
    setUploaded(null);
    const form = new FormData();
    for (const file of files) form.append('file', file);
    const answer = await action.run<{ items: unknown[] }>(`/api/v1/products/${encodeURIComponent(product.id)}/media`, { form });
    if (!answer) return;
    setUploaded(answer.items.length);
    setFiles([]);
    setInputKey((k) => k + 1);
    onUploaded();
  };

  return (
    <section aria-labelledby="images-heading">
      <h2 id="images-heading">{m.imagesHeading}</h2>
      {product.images.length === 0 ? (
        <p class="note">{m.noImages}</p>
      ) : (
        <ul class="product-images" id="product-images">
          {product.images.map((image, i) => (
            <li key={image.mediaId}>
              <figure>
                <img src={sameOrigin(image.url)} alt={m.imageAlt(i + 1, product.name.vi)} width={160} height={160} loading="lazy" />
                {image.width && image.height ? <figcaption class="small">{m.imageSize(image.width, image.height)}</figcaption> : null}
              </figure>
            </li>
          ))}
        </ul>
      )}
      <form id="upload-images" onSubmit={submit}>
        <label for="image-files">{m.uploadLabel}</label>
        <input key={inputKey} id="image-files" type="file" accept="image/jpeg,image/png" multiple onChange={(e) => setFiles(Array.from(e.currentTarget.files ?? []))} />
        <FormSubmit action={action} label={m.upload} busyLabel={m.uploading} disabled={files.length === 0} done={uploaded !== null ? m.uploaded(uploaded) : null} />
      </form>
    </section>
  );
}

function ReadinessChecklist({ readiness }: { readiness: Readiness }) {
  const m = useMessages(PRODUCTS_MESSAGES);
  return (
    <section aria-labelledby="readiness-heading">
      <h2 id="readiness-heading">{m.readinessHeading}</h2>
      <ul class="plain" id="readiness">
        {Object.entries(readiness.marketplaces).map(([marketplace, report]) => (
          <li key={marketplace} data-marketplace={marketplace} data-ready={String(report.ready)}>
            <strong>{marketplaceName(m, marketplace)}</strong>
            <span class={`badge ${report.ready ? 'synced' : 'failed'}`}>{report.ready ? m.ready : m.notReady}</span>
            {report.gaps.length > 0 ? (
              <ul>
                {report.gaps.map((gap) => (
                  <li key={gap.code} data-gap={gap.code}>
                    {gapText(m, gap)}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Listings({ product, listings, onChanged }: { product: Product; listings: Listing[]; onChanged: () => void }) {
  const m = useMessages(PRODUCTS_MESSAGES);
  const { locale } = useMessages(COMMON_MESSAGES);
  const removal = useAction();
  const [removed, setRemoved] = useState<string | null>(null);

  const remove = async (listing: Listing) => {
    const name = marketplaceName(m, listing.marketplace);
    if (!window.confirm(m.confirmRemove(name))) return;
    setRemoved(null);
    const done = await removal.run(`/api/v1/listings/${encodeURIComponent(listing.id)}`, { method: 'DELETE' });
    if (done === null) return;
    setRemoved(name);
    onChanged();
  };

  return (
    <section aria-labelledby="listings-heading">
      <h2 id="listings-heading">{m.listingsHeading}</h2>
      {listings.length === 0 ? (
        <p>{m.noListings}</p>
      ) : (
        <div class="table-scroll">
          <table class="data" id="listings-table">
            <caption class="small">{m.listingsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{m.colMarketplace}</th>
                <th scope="col">{m.colUrl}</th>
                <th scope="col">{m.colCategory}</th>
                <th scope="col" class="num">{m.colPrice}</th>
                <th scope="col">{m.colAvailability}</th>
                <th scope="col">{m.colActions}</th>
              </tr>
            </thead>
            <tbody>
              {listings.map((l) => (
                <tr key={l.id} data-listing-id={l.id}>
                  <th scope="row">{marketplaceName(m, l.marketplace)}</th>
                  <td>
                    <a href={l.url} target="_blank" rel="noopener noreferrer">
                      {l.url} <span class="small">{m.opensNewTab}</span>
                    </a>
                  </td>
                  <td>{l.categoryId ?? m.none}</td>
                  <td class="num">{formatVnd(l.priceVnd, locale) ?? m.none}</td>
                  <td>{m.availabilities[l.availability as keyof Messages['availabilities']] ?? l.availability}</td>
                  <td>
                    <button type="button" aria-label={m.removeLabel(marketplaceName(m, l.marketplace))} disabled={removal.busy} onClick={() => remove(l)}>
                      {m.remove}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FailureNotice failure={removal.failure} />
      <div role="status">{removed ? <p class="ok">{m.removed(removed)}</p> : null}</div>
      <AddListing product={product} onAdded={onChanged} />
    </section>
  );
}

function AddListing({ product, onAdded }: { product: Product; onAdded: () => void }) {
  const m = useMessages(PRODUCTS_MESSAGES);
  const { lang } = useCoop();
  const action = useAction();
  const empty = { marketplace: 'shopee', url: '', categoryId: '', priceVnd: '', availability: 'in_stock' };
  const [draft, setDraft] = useState(empty);
  const [added, setAdded] = useState<string | null>(null);
  const set = (field: keyof typeof empty) => (e: Event) => setDraft({ ...draft, [field]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    setAdded(null);
    const body = {
      productId: product.id,
      marketplace: draft.marketplace,
      url: draft.url.trim(),
      availability: draft.availability,
      ...(draft.categoryId.trim() ? { categoryId: draft.categoryId.trim() } : {}),
      ...(draft.priceVnd.trim() ? { priceVnd: numberOf(draft.priceVnd, lang, PRICE) } : {}),
    };
    if (!(await action.run<Listing>('/api/v1/listings', { json: body }))) return;
    setAdded(marketplaceName(m, draft.marketplace));
    setDraft(empty);
    onAdded();
  };

  return (
    <form id="add-listing" onSubmit={submit} aria-labelledby="add-listing-heading">
      <h3 id="add-listing-heading">{m.addListingHeading}</h3>
      <div class="row">
        <div>
          <label for="listing-marketplace">{m.marketplace}</label>
          <select id="listing-marketplace" value={draft.marketplace} onChange={set('marketplace')}>
            {MARKETPLACES.map((key) => (
              <option key={key} value={key}>
                {marketplaceName(m, key)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="listing-availability">{m.availability}</label>
          <select id="listing-availability" value={draft.availability} onChange={set('availability')}>
            {AVAILABILITIES.map((key) => (
              <option key={key} value={key}>
                {m.availabilities[key]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <label for="listing-url">{m.url}</label>
      <input id="listing-url" type="url" required maxLength={2000} placeholder="https://" value={draft.url} onInput={set('url')} />
      <div class="row">
        <div>
          <label for="listing-category">{m.categoryId}</label>
          <input id="listing-category" maxLength={64} value={draft.categoryId} onInput={set('categoryId')} />
        </div>
        <NumberField id="listing-price" label={m.listingPrice} lang={lang} unit="vnd" rules={PRICE} value={draft.priceVnd} onInput={(priceVnd) => setDraft({ ...draft, priceVnd })} />
      </div>
      <FormSubmit action={action} label={m.addListing} busyLabel={m.adding} done={added ? m.added(added) : null} />
    </form>
  );
}

function EditProduct({ product, lots, onSaved }: { product: Product; lots: BatchSummary[]; onSaved: () => void }) {
  const m = useMessages(PRODUCTS_MESSAGES);
  const action = useAction();
  const { lang } = useCoop();
  const [draft, setDraft] = useState(() => draftOf(product, lang));
  const [saved, setSaved] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    if (!(await action.run<Product>(`/api/v1/products/${encodeURIComponent(product.id)}`, { method: 'PATCH', json: catalogBody(draft, 'remove', lang) }))) return;
    setSaved(true);
    onSaved();
  };

  return (
    <section aria-labelledby="edit-heading">
      <h2 id="edit-heading">{m.editHeading}</h2>
      <form id="edit-product" onSubmit={submit}>
        <CatalogFields draft={draft} onChange={setDraft} lots={lots} idPrefix="edit" />
        <FormSubmit action={action} label={m.save} busyLabel={m.saving} done={saved ? m.saved : null} />
      </form>
    </section>
  );
}
