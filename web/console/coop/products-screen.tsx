import type { z } from 'zod';
import type { Listing as ListingSchema, Product as ProductSchema } from '../../../api/src/modules/products/schema.js';
import { useState } from 'preact/hooks';
import { normalizeGtin } from '../../../api/src/domain/gs1/keys.js';
import { formatLocaleNumber, type NumberRules } from '../../../api/src/domain/locale-number.js';
import type { WordUnit } from '../../../api/src/domain/number-words.js';
import type { BatchSummary } from '../api-client.js';
import type { ConsoleLang } from '../messages.js';
import { NumberField, numberOf } from '../number-field.js';
import { fieldErrorText } from '../problem-messages.js';
import { ScreenHeading } from '../screens/screen-heading.js';
import { coopGet, fetchAll, FormSubmit, LoadedView, useAction, useCoop, useLoad, useMessages } from './coop-context.js';
import { lotLabel } from './lot-display.js';
import { COMMON_MESSAGES } from './messages/common.js';
import { PRODUCTS_MESSAGES } from './messages/products.js';

type Messages = (typeof PRODUCTS_MESSAGES)['vi'];

/** The API's Product and Listing: their schemas' own types (type-only imports, not bundled). */
export type Product = z.output<typeof ProductSchema>;
export type Listing = z.output<typeof ListingSchema>;

export const marketplaceName = (m: Messages, marketplace: string) => m.marketplaces[marketplace as keyof Messages['marketplaces']] ?? marketplace;

export interface Readiness {
  marketplaces: Record<string, { ready: boolean; gaps: Array<{ code: string; limit?: number; now?: number }> }>;
}

/** How many marketplaces the product is ready for, of those the API checks. */
function readyCount(readiness: Readiness): { ready: number; all: number } {
  const reports = Object.values(readiness.marketplaces);
  return { ready: reports.filter((r) => r.ready).length, all: reports.length };
}

export const formatVnd = (amount: number | null, locale: string): string | null => (amount === null ? null : amount.toLocaleString(locale));

/** The catalog fields of a product form, as typed: all text until the form is sent. */
interface CatalogDraft {
  nameVi: string;
  nameEn: string;
  descriptionVi: string;
  descriptionEn: string;
  brand: string;
  googleCategory: string;
  netWeightValue: string;
  netWeightUnit: string;
  packageWeightKg: string;
  length: string;
  width: string;
  height: string;
  stock: string;
  priceVnd: string;
  ocopStars: string;
  batchIds: string[];
}

/** How each number of the catalog is read: stock and đồng are whole, sizes and weights positive. */
const NUMBER_RULES = {
  stock: { whole: true },
  priceVnd: { whole: true },
  netWeightValue: { positive: true },
  packageWeightKg: { positive: true },
  length: { positive: true },
  width: { positive: true },
  height: { positive: true },
} satisfies Partial<Record<keyof CatalogDraft, NumberRules>>;
type NumberName = keyof typeof NUMBER_RULES;

/** A product's numbers as an edit form shows them: in the UI language's convention. */
export function draftOf(p: Product | null, lang: ConsoleLang): CatalogDraft {
  const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : formatLocaleNumber(value, lang));
  return {
    nameVi: p?.name.vi ?? '',
    nameEn: p?.name.en ?? '',
    descriptionVi: p?.description.vi ?? '',
    descriptionEn: p?.description.en ?? '',
    brand: p?.brand ?? '',
    googleCategory: p?.googleCategory ? String(p.googleCategory) : '',
    netWeightValue: text(p?.netWeight?.value),
    netWeightUnit: p?.netWeight?.unit ?? 'g',
    packageWeightKg: text(p?.packageWeightKg),
    length: text(p?.dimensionsCm?.length),
    width: text(p?.dimensionsCm?.width),
    height: text(p?.dimensionsCm?.height),
    stock: p ? text(p.stock) : '0',
    priceVnd: text(p?.priceVnd),
    ocopStars: text(p?.ocopStars),
    batchIds: p?.batchIds ?? [],
  };
}


/**
 * The request body for the catalog fields. A blank optional field is left out of a new product,
 * and sent as null in an edit, which removes it (an English name or description left blank is
 * removed with the name or description it belongs to).
 */
export function catalogBody(d: CatalogDraft, blank: 'omit' | 'remove', lang: ConsoleLang): Record<string, unknown> {
  // An unreadable number never gets here (its field keeps the form from being sent); null would be named by the server.
  const number = (name: NumberName) => numberOf(d[name], lang, NUMBER_RULES[name]);
  const body: Record<string, unknown> = {
    name: { vi: d.nameVi, ...(d.nameEn.trim() ? { en: d.nameEn } : {}) },
    description: { vi: d.descriptionVi, ...(d.descriptionEn.trim() ? { en: d.descriptionEn } : {}) },
    stock: number('stock'),
    batchIds: d.batchIds,
  };
  const optional = (key: string, given: boolean, value: () => unknown) => {
    if (given) body[key] = value();
    else if (blank === 'remove') body[key] = null;
  };
  optional('brand', Boolean(d.brand.trim()), () => d.brand);
  optional('googleCategory', Boolean(d.googleCategory.trim()), () => Number(d.googleCategory.trim()));
  optional('netWeight', Boolean(d.netWeightValue.trim()), () => ({ value: number('netWeightValue'), unit: d.netWeightUnit }));
  optional('packageWeightKg', Boolean(d.packageWeightKg.trim()), () => number('packageWeightKg'));
  optional('dimensionsCm', Boolean(d.length.trim() || d.width.trim() || d.height.trim()), () => ({ length: number('length'), width: number('width'), height: number('height') }));
  optional('priceVnd', Boolean(d.priceVnd.trim()), () => number('priceVnd'));
  optional('ocopStars', Boolean(d.ocopStars), () => Number(d.ocopStars));
  return body;
}

/** The inputs of a product's catalog data, shared by the create and the edit forms; `idPrefix` keeps ids unique. */
export function CatalogFields({ draft, onChange, lots, idPrefix }: { draft: CatalogDraft; onChange: (d: CatalogDraft) => void; lots: BatchSummary[]; idPrefix: string }) {
  const m = useMessages(PRODUCTS_MESSAGES);
  const { lang } = useCoop();
  const id = (field: string) => `${idPrefix}-${field}`;
  const number = (name: NumberName, label: string, unit: WordUnit | null, required = false) => (
    <NumberField id={id(name)} name={name} label={label} lang={lang} unit={unit} rules={NUMBER_RULES[name]} required={required} value={draft[name]} onInput={(value) => onChange({ ...draft, [name]: value })} />
  );
  const field = (name: Exclude<keyof CatalogDraft, 'batchIds'>, label: string, props: Record<string, unknown> = {}) => (
    <div>
      <label for={id(name)}>{label}</label>
      <input id={id(name)} name={name} value={draft[name]} onInput={(e) => onChange({ ...draft, [name]: e.currentTarget.value })} {...props} />
    </div>
  );
  const area = (name: 'descriptionVi' | 'descriptionEn', label: string, required: boolean) => (
    <div>
      <label for={id(name)}>{label}</label>
      <textarea id={id(name)} class="prose" name={name} required={required} rows={4} value={draft[name]} onInput={(e) => onChange({ ...draft, [name]: e.currentTarget.value })} />
    </div>
  );
  const toggleLot = (lotId: string, on: boolean) => onChange({ ...draft, batchIds: on ? [...draft.batchIds, lotId] : draft.batchIds.filter((x) => x !== lotId) });
  return (
    <>
      <div class="row">
        {field('nameVi', m.nameVi, { required: true, maxLength: 150 })}
        {field('nameEn', m.nameEn, { maxLength: 150, lang: 'en' })}
      </div>
      <div class="row">
        {area('descriptionVi', m.descriptionVi, true)}
        {area('descriptionEn', m.descriptionEn, false)}
      </div>
      <div class="row">
        {field('brand', m.brand, { maxLength: 70 })}
        {/* A taxonomy identifier, not an amount: digits only, never grouped or read in words. */}
        {field('googleCategory', m.googleCategory, { inputMode: 'numeric', pattern: '[1-9][0-9]*', maxLength: 10, autoComplete: 'off' })}
      </div>
      <div class="row">
        {number('stock', m.stock, null, true)}
        {number('priceVnd', m.priceVnd, 'vnd')}
        <div>
          <label for={id('ocopStars')}>{m.ocopStars}</label>
          <select id={id('ocopStars')} name="ocopStars" value={draft.ocopStars} onChange={(e) => onChange({ ...draft, ocopStars: e.currentTarget.value })}>
            <option value="">{m.noOcop}</option>
            {[3, 4, 5].map((n) => (
              <option key={n} value={String(n)}>
                {m.stars(n)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="row">
        {number('netWeightValue', m.netWeight, draft.netWeightUnit as WordUnit)}
        <div>
          <label for={id('netWeightUnit')}>{m.netWeightUnit}</label>
          <select id={id('netWeightUnit')} name="netWeightUnit" value={draft.netWeightUnit} onChange={(e) => onChange({ ...draft, netWeightUnit: e.currentTarget.value })}>
            {['g', 'kg', 'ml', 'l'].map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </div>
        {number('packageWeightKg', m.packageWeight, 'kg')}
      </div>
      <fieldset>
        <legend>{m.dimensions}</legend>
        <div class="row">
          {number('length', m.length, 'cm')}
          {number('width', m.width, 'cm')}
          {number('height', m.height, 'cm')}
        </div>
      </fieldset>
      <fieldset class="lot-choices">
        <legend>{m.lotsLegend}</legend>
        {lots.length === 0 ? <p>{m.noLots}</p> : null}
        {lots.map((lot) => (
          <label class="choice" key={lot.id}>
            <input type="checkbox" name="batchIds" value={lot.id} checked={draft.batchIds.includes(lot.id)} onChange={(e) => toggleLot(lot.id, e.currentTarget.checked)} />
            {lotLabel(lot)}
          </label>
        ))}
      </fieldset>
    </>
  );
}

/** The GTIN check the server applies, said from its code as the server's refusal would be; null when the GTIN is acceptable. */
function gtinProblem(gtin: string, lang: ConsoleLang): string | null {
  const check = normalizeGtin(gtin);
  return check.ok ? null : fieldErrorText({ path: 'gtin', code: check.code, ...(check.params ? { params: check.params } : {}) }, lang);
}

interface Catalog {
  products: Product[];
  listings: Listing[];
  readiness: Map<string, Readiness>;
  lots: BatchSummary[];
}

/** The cooperative's products with stock, price, lots, listings and marketplace readiness, and a form to add one. */
export function ProductsScreen() {
  const m = useMessages(PRODUCTS_MESSAGES);
  const catalog = useLoad<Catalog>('products', async (coop) => {
    const [products, listings, lots] = await Promise.all([
      fetchAll<Product>(coop, '/api/v1/products'),
      fetchAll<Listing>(coop, '/api/v1/listings'),
      fetchAll<BatchSummary>(coop, '/api/v1/batches'),
    ]);
    const reports = await Promise.all(products.map((p) => coopGet<Readiness>(coop, `/api/v1/products/${p.id}/readiness`)));
    return { products, listings, lots, readiness: new Map(products.map((p, i) => [p.id, reports[i]!])) };
  });
  return (
    <>
      <ScreenHeading>{m.productsHeading}</ScreenHeading>
      <LoadedView loaded={catalog}>
        {(c) => (
          <>
            <ProductTable catalog={c} />
            <CreateProduct lots={c.lots} onCreated={catalog.reload} />
          </>
        )}
      </LoadedView>
    </>
  );
}

function ProductTable({ catalog }: { catalog: Catalog }) {
  const m = useMessages(PRODUCTS_MESSAGES);
  const { locale } = useMessages(COMMON_MESSAGES);
  if (catalog.products.length === 0) return <p>{m.noProducts}</p>;
  return (
    <div class="table-scroll">
      <table class="data" id="products-table">
        <caption class="small">{m.productsCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{m.colName}</th>
            <th scope="col">{m.colGtin}</th>
            <th scope="col" class="nowrap">{m.colOcop}</th>
            <th scope="col" class="num">{m.colStock}</th>
            <th scope="col" class="num">{m.colPrice}</th>
            <th scope="col" class="num">{m.colLots}</th>
            <th scope="col" class="num">{m.colListings}</th>
            <th scope="col" class="readiness">{m.colReadiness}</th>
          </tr>
        </thead>
        <tbody>
          {catalog.products.map((p) => {
            const readiness = catalog.readiness.get(p.id);
            const count = readiness ? readyCount(readiness) : null;
            return (
              <tr key={p.id} data-product-id={p.id}>
                <th scope="row">
                  <a href={`#/coop/products/${encodeURIComponent(p.id)}`}>{p.name.vi}</a>
                  {p.name.en ? (
                    <div class="small" lang="en">
                      {p.name.en}
                    </div>
                  ) : null}
                </th>
                <td class="nowrap">{p.gtin}</td>
                <td class="nowrap">{p.ocopStars ? m.stars(p.ocopStars) : m.none}</td>
                <td class="num">{p.stock.toLocaleString(locale)}</td>
                <td class="num">{formatVnd(p.priceVnd, locale) ?? m.none}</td>
                <td class="num">{p.batchIds.length}</td>
                <td class="num">{catalog.listings.filter((l) => l.productId === p.id).length}</td>
                <td class="readiness">{count ? m.readyFor(count.ready, count.all) : m.none}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function CreateProduct({ lots, onCreated }: { lots: BatchSummary[]; onCreated: () => void }) {
  const m = useMessages(PRODUCTS_MESSAGES);
  const { lang } = useCoop();
  const action = useAction();
  const [gtin, setGtin] = useState('');
  const [gtinChecked, setGtinChecked] = useState(false);
  const [draft, setDraft] = useState(() => draftOf(null, lang));
  const [created, setCreated] = useState<Product | null>(null);
  const gtinError = gtinChecked ? gtinProblem(gtin.trim(), lang) : null;

  const submit = async (event: Event) => {
    event.preventDefault();
    setGtinChecked(true);
    setCreated(null);
    if (gtinProblem(gtin.trim(), lang)) {
      document.getElementById('new-gtin')?.focus();
      return;
    }
    const product = await action.run<Product>('/api/v1/products', { json: { gtin: gtin.trim(), ...catalogBody(draft, 'omit', lang) } });
    if (!product) return;
    setCreated(product);
    setGtin('');
    setGtinChecked(false);
    setDraft(draftOf(null, lang));
    onCreated();
  };

  return (
    <section aria-labelledby="create-product-heading">
      <h2 id="create-product-heading">{m.createHeading}</h2>
      <form id="create-product" onSubmit={submit}>
        <label for="new-gtin">{m.gtin}</label>
        <input
          id="new-gtin"
          name="gtin"
          inputMode="numeric"
          autoComplete="off"
          required
          value={gtin}
          aria-invalid={gtinError ? 'true' : undefined}
          aria-describedby={gtinError ? 'new-gtin-hint new-gtin-error' : 'new-gtin-hint'}
          onInput={(e) => setGtin(e.currentTarget.value)}
          onBlur={() => gtin.trim() && setGtinChecked(true)}
        />
        <p id="new-gtin-hint" class="small">
          {m.gtinHint}
        </p>
        {gtinError ? (
          <p id="new-gtin-error" class="error">
            {gtinError}
          </p>
        ) : null}
        <CatalogFields draft={draft} onChange={setDraft} lots={lots} idPrefix="new" />
        <FormSubmit
          action={action}
          label={m.create}
          busyLabel={m.creating}
          done={
            created ? (
              <>
                {m.created(created.name.vi)} <a href={`#/coop/products/${encodeURIComponent(created.id)}`}>{m.openProduct}</a>
              </>
            ) : null
          }
        />
      </form>
    </section>
  );
}
