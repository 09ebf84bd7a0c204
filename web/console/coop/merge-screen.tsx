import { useState } from 'preact/hooks';
import { localDateTimeInput, withLocalOffset } from '../local-time.js';
import { ScreenHeading } from '../screens/screen-heading.js';
import { fetchAll, FormSubmit, LoadedView, useAction, useCoop, useLoad, useMessages } from './coop-context.js';
import { fetchOrgNames, formatQuantity, isHandedOver, isInTransit, orgName, type Lot, type OrgNames } from './lot-display.js';
import { COMMON_MESSAGES } from './messages/common.js';
import { LOTS_MESSAGES } from './messages/lots.js';
import { EMPTY_QUANTITY, QuantityInput, quantityOf, type QuantityDraft } from './quantity-input.js';

/** Blends two or more lots the cooperative holds into one new lot, then opens it. */
export function MergeScreen() {
  const m = useMessages(LOTS_MESSAGES);
  const loaded = useLoad('merge-lots', async (coop) => {
    const [lots, names] = await Promise.all([fetchAll<Lot>(coop, '/api/v1/batches'), fetchOrgNames(coop)]);
    return { lots: lots.filter((lot) => !isHandedOver(lot, names) && !isInTransit(lot)).sort((a, b) => b.createdAt.localeCompare(a.createdAt)), names };
  });
  return (
    <>
      <ScreenHeading>{m.mergeHeading}</ScreenHeading>
      <p>{m.mergeIntro}</p>
      <LoadedView loaded={loaded}>{({ lots, names }) => <MergeForm lots={lots} names={names} />}</LoadedView>
    </>
  );
}

function MergeForm({ lots, names }: { lots: Lot[]; names: OrgNames }) {
  const m = useMessages(LOTS_MESSAGES);
  const { locale } = useMessages(COMMON_MESSAGES);
  const { lang } = useCoop();
  const action = useAction();
  const [filter, setFilter] = useState('');
  /** The picked lots, in the order they were picked, each with the quantity that goes in. */
  const [picked, setPicked] = useState<Map<string, QuantityDraft>>(new Map());
  const [product, setProduct] = useState('');
  const [quantity, setQuantity] = useState<QuantityDraft>(EMPTY_QUANTITY);
  const [lotNumber, setLotNumber] = useState('');
  const [occurredAt, setOccurredAt] = useState(localDateTimeInput());
  const [placeName, setPlaceName] = useState('');
  const needle = filter.trim().toLocaleLowerCase(locale);
  const shown = lots.filter((lot) => picked.has(lot.id) || !needle || `${lot.product} ${lot.lotNumber}`.toLocaleLowerCase(locale).includes(needle));
  const byId = new Map(lots.map((lot) => [lot.id, lot]));

  const toggle = (lot: Lot, on: boolean) => {
    const next = new Map(picked);
    if (on) next.set(lot.id, EMPTY_QUANTITY);
    else next.delete(lot.id);
    setPicked(next);
    if (on && !product) setProduct(lot.product);
  };

  const merge = async (event: Event) => {
    event.preventDefault();
    const merged = await action.run<Lot>('/api/v1/batches/merge', {
      json: {
        inputs: [...picked].map(([batchId, used]) => ({ batchId, quantity: quantityOf(used, lang) })),
        product: product.trim(),
        quantity: quantityOf(quantity, lang),
        ...(lotNumber.trim() ? { lotNumber: lotNumber.trim() } : {}),
        occurredAt: withLocalOffset(occurredAt),
        ...(placeName.trim() ? { place: { name: placeName.trim() } } : {}),
      },
    });
    if (merged) location.hash = `#/coop/lots/${encodeURIComponent(merged.id)}`;
  };

  return (
    <form id="merge-form" onSubmit={merge}>
      <fieldset>
        <legend>{m.pickLots}</legend>
        <label for="merge-filter">{m.filterLots}</label>
        <input id="merge-filter" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        <p role="status" id="merge-picked">
          {m.pickedCount(picked.size)}
        </p>
        {shown.length ? (
          <ul class="plain pick-list" id="merge-lots">
            {shown.map((lot) => (
              <li key={lot.id}>
                <label class="choice">
                  <input type="checkbox" value={lot.id} checked={picked.has(lot.id)} onChange={(e) => toggle(lot, e.currentTarget.checked)} />
                  <span>
                    <strong>{lot.product}</strong> · <span class="code">{lot.lotNumber}</span> · {formatQuantity(m, locale, lot.quantity)} · {orgName(m, names, lot.orgId)}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        ) : (
          <p class="note">{m.noLotsHeld}</p>
        )}
      </fieldset>
      {[...picked].map(([id, used]) => (
        <QuantityInput
          key={id}
          id={`merge-used-${id}`}
          legend={m.usedQuantity(byId.get(id)?.lotNumber ?? id)}
          draft={used}
          onChange={(draft) => setPicked(new Map(picked).set(id, draft))}
        />
      ))}
      <fieldset>
        <legend>{m.newLot}</legend>
        <label for="merge-product">{m.newProduct}</label>
        <input id="merge-product" required maxLength={100} value={product} onInput={(e) => setProduct(e.currentTarget.value)} />
        <QuantityInput id="merge-quantity" legend={m.newQuantity} required draft={quantity} onChange={setQuantity} />
        <div class="row">
          <div>
            <label for="merge-lot-number">{m.newLotNumber}</label>
            <input id="merge-lot-number" maxLength={20} value={lotNumber} onInput={(e) => setLotNumber(e.currentTarget.value)} />
          </div>
          <div>
            <label for="merge-time">{m.mergeTime}</label>
            <input id="merge-time" type="datetime-local" required value={occurredAt} onInput={(e) => setOccurredAt(e.currentTarget.value)} />
          </div>
        </div>
        <label for="merge-place">{m.placeName}</label>
        <input id="merge-place" maxLength={200} value={placeName} onInput={(e) => setPlaceName(e.currentTarget.value)} />
      </fieldset>
      {picked.size < 2 ? <p class="small">{m.pickTwo}</p> : null}
      <FormSubmit action={action} label={m.merge} disabled={picked.size < 2} />
    </form>
  );
}
