import { useState } from 'preact/hooks';
import { validateLotNumber } from '../../../api/src/domain/gs1/keys.js';
import { findRecord, type FarmRecords } from '../farm-records.js';
import { localDate, readableDay } from '../local-time.js';
import type { ConsoleMessages } from '../messages.js';
import { formatLocaleNumber } from '../../../api/src/domain/locale-number.js';
import { NumberField, numberOf, numberReading } from '../number-field.js';
import { newLocalId, type NewOutboxEntry } from '../outbox.js';
import { refusalOf } from '../refusal.js';
import { fieldErrorText } from '../problem-messages.js';
import { PhotoInput } from './photo-input.js';
import { DiscardButton, FieldReason, invalidIf, RefusedNotice, type RefusedEntry } from './refused-entry.js';
import { ScreenHeading } from './screen-heading.js';

type Unit = 'kg' | 't' | 'bag';

interface Props {
  m: ConsoleMessages;
  plots: FarmRecords['plots'];
  onSave: (entries: NewOutboxEntry[]) => Promise<void>;
  /** A lot the server refused, reopened to be corrected and sent again. */
  refused?: RefusedEntry;
}

interface BatchBody {
  plotIds: string[];
  product: string;
  harvestedAt?: string;
  quantity: { value: number; unit: Unit; bagKg?: number };
  lotNumber?: string;
}

/** A harvest's weight and a bag's size are positive amounts, in the UI language's convention. */
const AMOUNT = { positive: true } as const;

/** A harvest lot in three screens: plot and product; quantity and date; check, photo and save. */
export function HarvestScreen({ m, plots, onSave, refused }: Props) {
  const was = refused?.item.json as BatchBody | undefined;
  const refusal = refusalOf('batch', refused?.item);
  const why = refusal?.fields ?? {};
  // A refused lot opens on the screen of the first field the server named.
  const [screen, setScreen] = useState<1 | 2 | 3>(!refusal ? 1 : why.plot || why.product ? 1 : Object.keys(why).length ? 2 : 3);
  const [plotId, setPlotId] = useState(was?.plotIds[0] ?? '');
  const [product, setProduct] = useState(was?.product ?? m.productSuggestions[0] ?? '');
  const [quantity, setQuantity] = useState(was ? formatLocaleNumber(was.quantity.value, m.htmlLang) : '');
  const [unit, setUnit] = useState<Unit>(was?.quantity.unit ?? 'kg');
  const [bagKg, setBagKg] = useState(was?.quantity.bagKg !== undefined ? formatLocaleNumber(was.quantity.bagKg, m.htmlLang) : '');
  const [date, setDate] = useState(was?.harvestedAt ?? localDate());
  const [lotNumber, setLotNumber] = useState(was?.lotNumber ?? '');
  const [photo, setPhoto] = useState<File | null>(null);
  const [saving, setSaving] = useState(false);

  // Until the farmer picks one, the newest plot is selected (lists load after the screen opens).
  const plot = findRecord(plots, plotId) ?? (plotId ? undefined : plots[0]);
  const lotCheck = lotNumber.trim() ? validateLotNumber(lotNumber.trim()) : null;
  const firstDone = Boolean(plot) && product.trim() !== '';
  const lang = m.htmlLang;
  const quantityValue = numberOf(quantity, lang, AMOUNT);
  const bagKgValue = unit === 'bag' ? numberOf(bagKg, lang, AMOUNT) : null;
  const secondDone = quantityValue !== null && (unit !== 'bag' || bagKgValue !== null) && date !== '' && date <= localDate() && lotCheck?.ok !== false;

  const next = (event: Event) => {
    event.preventDefault();
    if (screen === 1 && firstDone) setScreen(2);
    else if (screen === 2 && secondDone) setScreen(3);
  };

  const save = async () => {
    if (!plot || !firstDone || !secondDone || quantityValue === null) return;
    setSaving(true);
    const batchId = newLocalId();
    const body = {
      plotIds: [plot.id],
      product: product.trim(),
      harvestedAt: date,
      quantity: { value: quantityValue, unit, ...(unit === 'bag' && bagKgValue !== null ? { bagKg: bagKgValue } : {}) },
      ...(lotNumber.trim() ? { lotNumber: lotNumber.trim() } : {}),
    };
    const entries: NewOutboxEntry[] = [{ kind: 'batch', path: '/api/v1/batches', json: body, localId: batchId }];
    if (photo) entries.push({ kind: 'photo', path: `/api/v1/batches/${batchId}/media`, photo, photoName: photo.name });
    await onSave(entries);
  };

  // The confirm screen reads the parsed numbers back in digits and words, never the text as typed.
  const quantityReadings = [quantityValue !== null ? numberReading(quantityValue, unit, lang) : null, bagKgValue !== null ? numberReading(bagKgValue, 'kg', lang) : null].filter(
    (r): r is string => r !== null,
  );

  return (
    <form onSubmit={next}>
      <ScreenHeading>{m.harvestHeading}</ScreenHeading>
      <p class="small">{m.stepOf(screen, 3)}</p>
      {refused && refusal ? <RefusedNotice m={m} refused={refused} refusal={refusal} /> : null}

      {screen === 1 ? (
        <>
          {plots.length ? (
            <fieldset>
              <legend>{m.whichPlot}</legend>
              {plots.map((p) => (
                <label class="choice" key={p.id}>
                  <input type="radio" name="plot" value={p.id} checked={p === plot} onChange={() => setPlotId(p.id)} />
                  <span>
                    {p.name}
                    {p.areaHa !== null ? <span class="small"> · {m.hectares(p.areaHa)}</span> : null}
                  </span>
                </label>
              ))}
            </fieldset>
          ) : (
            <p class="note">
              {m.noPlots} <a href="#/plot">{m.registerPlot}</a>
            </p>
          )}
          <FieldReason m={m} reasons={why.plot} id="harvest-plot-reason" />
          <label for="harvest-product">{m.product}</label>
          <input id="harvest-product" list="product-suggestions" required maxLength={100} value={product} onInput={(e) => setProduct(e.currentTarget.value)} {...invalidIf(why.product, 'harvest-product-reason')} />
          <FieldReason m={m} reasons={why.product} id="harvest-product-reason" />
          <datalist id="product-suggestions">
            {m.productSuggestions.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </>
      ) : screen === 2 ? (
        <>
          <NumberField id="harvest-quantity" label={m.quantity} lang={lang} unit={unit} rules={AMOUNT} required value={quantity} onInput={setQuantity}>
            <select id="harvest-unit" aria-label={m.unit} value={unit} onChange={(e) => setUnit(e.currentTarget.value as Unit)}>
              {(['kg', 't', 'bag'] as const).map((u) => (
                <option key={u} value={u}>
                  {m.units[u]}
                </option>
              ))}
            </select>
          </NumberField>
          <FieldReason m={m} reasons={[...(why.quantity ?? []), ...(why.unit ?? [])]} id="harvest-quantity-reason" />
          {unit === 'bag' ? (
            <NumberField id="harvest-bag-kg" label={m.bagKg} lang={lang} unit="kg" rules={AMOUNT} required value={bagKg} onInput={setBagKg} />
          ) : null}
          <FieldReason m={m} reasons={why.bagKg} id="harvest-bag-kg-reason" />
          <label for="harvest-date">{m.harvestDate}</label>
          <input id="harvest-date" type="date" required max={localDate()} value={date} onInput={(e) => setDate(e.currentTarget.value)} {...invalidIf(why.date, 'harvest-date-reason')} />
          <FieldReason m={m} reasons={why.date} id="harvest-date-reason" />
          <label for="harvest-lot">{m.lotNumber}</label>
          <input id="harvest-lot" maxLength={20} autoCapitalize="characters" value={lotNumber} onInput={(e) => setLotNumber(e.currentTarget.value)} {...invalidIf(why.lot, 'harvest-lot-reason')} />
          <FieldReason m={m} reasons={why.lot} id="harvest-lot-reason" />
          {lotCheck && !lotCheck.ok ? <p class="error">{fieldErrorText({ path: 'lotNumber', code: lotCheck.code, ...(lotCheck.params ? { params: lotCheck.params } : {}) }, m.lang)}</p> : null}
        </>
      ) : (
        <>
          <h2>{m.confirmHeading}</h2>
          <dl class="summary">
            <dt>{m.whichPlot}</dt>
            <dd>{plot?.name}</dd>
            <dt>{m.product}</dt>
            <dd>{product}</dd>
            <dt>{m.quantity}</dt>
            <dd id="harvest-confirm-quantity">
              {quantityReadings.map((reading, i) => (
                <span class="reading-line" key={i}>
                  {i > 0 ? `${m.bagKg}: ` : null}
                  {reading}
                </span>
              ))}
            </dd>
            <dt>{m.harvestDate}</dt>
            <dd>{readableDay(date, m.locale)}</dd>
            {lotNumber.trim() ? (
              <>
                <dt>{m.lotNumber}</dt>
                <dd>{lotNumber.trim()}</dd>
              </>
            ) : null}
          </dl>
          {/* A photo recorded with a refused lot is its own entry, held until the lot is sent. */}
          {refused ? null : <PhotoInput m={m} id="harvest-photo" photo={photo} onPhoto={setPhoto} />}
        </>
      )}

      <div class="actions">
        {screen === 1 ? (
          <a class="button" href="#/">
            {m.cancel}
          </a>
        ) : (
          <button type="button" onClick={() => setScreen(screen === 3 ? 2 : 1)}>
            {m.back}
          </button>
        )}
        {screen < 3 ? (
          <button class="primary" type="submit" disabled={screen === 1 ? !firstDone : !secondDone}>
            {m.next}
          </button>
        ) : (
          <button class="primary" type="button" disabled={saving} onClick={() => void save()}>
            {refused ? m.resend : m.saveHarvest}
          </button>
        )}
      </div>
      {refused ? <DiscardButton m={m} waiting={refused.waiting.length} onDiscard={refused.onDiscard} /> : null}
    </form>
  );
}
