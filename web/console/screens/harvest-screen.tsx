import { useState } from 'preact/hooks';
import { validateLotNumber } from '../../../api/src/domain/gs1/keys.js';
import { findRecord, type FarmRecords } from '../farm-records.js';
import { localDate, readableDay } from '../local-time.js';
import type { ConsoleMessages } from '../messages.js';
import { NumberField, numberOf, numberReading } from '../number-field.js';
import { newLocalId, type NewOutboxEntry } from '../outbox.js';
import { PhotoInput } from './photo-input.js';
import { ScreenHeading } from './screen-heading.js';

type Unit = 'kg' | 't' | 'bag';

interface Props {
  m: ConsoleMessages;
  plots: FarmRecords['plots'];
  onSave: (entries: NewOutboxEntry[], message: string) => Promise<void>;
}

/** A harvest's weight and a bag's size are positive amounts, in the UI language's convention. */
const AMOUNT = { positive: true } as const;

/** A harvest lot in three screens: plot and product; quantity and date; check, photo and save. */
export function HarvestScreen({ m, plots, onSave }: Props) {
  const [screen, setScreen] = useState<1 | 2 | 3>(1);
  const [plotId, setPlotId] = useState('');
  const [product, setProduct] = useState(m.productSuggestions[0] ?? '');
  const [quantity, setQuantity] = useState('');
  const [unit, setUnit] = useState<Unit>('kg');
  const [bagKg, setBagKg] = useState('');
  const [date, setDate] = useState(localDate());
  const [lotNumber, setLotNumber] = useState('');
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
    await onSave(entries, m.harvestQueued);
  };

  // The confirm screen reads the parsed numbers back in digits and words, never the text as typed.
  const quantityReadings = [quantityValue !== null ? numberReading(quantityValue, unit, lang) : null, bagKgValue !== null ? numberReading(bagKgValue, 'kg', lang) : null].filter(
    (r): r is string => r !== null,
  );

  return (
    <form onSubmit={next}>
      <ScreenHeading>{m.harvestHeading}</ScreenHeading>
      <p class="small">{m.stepOf(screen, 3)}</p>

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
          <label for="harvest-product">{m.product}</label>
          <input id="harvest-product" list="product-suggestions" required maxLength={100} value={product} onInput={(e) => setProduct(e.currentTarget.value)} />
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
          {unit === 'bag' ? (
            <NumberField id="harvest-bag-kg" label={m.bagKg} lang={lang} unit="kg" rules={AMOUNT} required value={bagKg} onInput={setBagKg} />
          ) : null}
          <label for="harvest-date">{m.harvestDate}</label>
          <input id="harvest-date" type="date" required max={localDate()} value={date} onInput={(e) => setDate(e.currentTarget.value)} />
          <label for="harvest-lot">{m.lotNumber}</label>
          <input id="harvest-lot" maxLength={20} autoCapitalize="characters" value={lotNumber} onInput={(e) => setLotNumber(e.currentTarget.value)} />
          {lotCheck && !lotCheck.ok ? <p class="error">{lotCheck.message}</p> : null}
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
          <PhotoInput m={m} id="harvest-photo" photo={photo} onPhoto={setPhoto} />
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
            {m.saveHarvest}
          </button>
        )}
      </div>
    </form>
  );
}
