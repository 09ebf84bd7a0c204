import { useState } from 'preact/hooks';
import { validateLotNumber } from '../../../api/src/domain/gs1/keys.js';
import { findRecord, type FarmRecords } from '../farm-records.js';
import { localDate } from '../local-time.js';
import type { ConsoleMessages } from '../messages.js';
import { newLocalId, type NewOutboxEntry } from '../outbox.js';
import { fieldErrorText } from '../problem-messages.js';
import { PhotoInput } from './photo-input.js';
import { ScreenHeading } from './screen-heading.js';

type Unit = 'kg' | 't' | 'bag';

interface Props {
  m: ConsoleMessages;
  plots: FarmRecords['plots'];
  onSave: (entries: NewOutboxEntry[], message: string) => Promise<void>;
}

const decimal = (text: string) => Number(text.replace(',', '.'));

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
  const secondDone = decimal(quantity) > 0 && (unit !== 'bag' || decimal(bagKg) > 0) && date !== '' && date <= localDate() && lotCheck?.ok !== false;

  const next = (event: Event) => {
    event.preventDefault();
    if (screen === 1 && firstDone) setScreen(2);
    else if (screen === 2 && secondDone) setScreen(3);
  };

  const save = async () => {
    if (!plot || !firstDone || !secondDone) return;
    setSaving(true);
    const batchId = newLocalId();
    const body = {
      plotIds: [plot.id],
      product: product.trim(),
      harvestedAt: date,
      quantity: { value: decimal(quantity), unit, ...(unit === 'bag' ? { bagKg: decimal(bagKg) } : {}) },
      ...(lotNumber.trim() ? { lotNumber: lotNumber.trim() } : {}),
    };
    const entries: NewOutboxEntry[] = [{ kind: 'batch', path: '/api/v1/batches', json: body, localId: batchId }];
    if (photo) entries.push({ kind: 'photo', path: `/api/v1/batches/${batchId}/media`, photo, photoName: photo.name });
    await onSave(entries, m.harvestQueued);
  };

  const quantityText = `${quantity} ${m.units[unit]}${unit === 'bag' && bagKg ? ` × ${bagKg} kg` : ''}`;

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
          <div class="row">
            <div>
              <label for="harvest-quantity">{m.quantity}</label>
              <input id="harvest-quantity" inputMode="decimal" required value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} />
            </div>
            <div>
              <label for="harvest-unit">{m.unit}</label>
              <select id="harvest-unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value as Unit)}>
                {(['kg', 't', 'bag'] as const).map((u) => (
                  <option key={u} value={u}>
                    {m.units[u]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {unit === 'bag' ? (
            <>
              <label for="harvest-bag-kg">{m.bagKg}</label>
              <input id="harvest-bag-kg" inputMode="decimal" required value={bagKg} onInput={(e) => setBagKg(e.currentTarget.value)} />
            </>
          ) : null}
          <label for="harvest-date">{m.harvestDate}</label>
          <input id="harvest-date" type="date" required max={localDate()} value={date} onInput={(e) => setDate(e.currentTarget.value)} />
          <label for="harvest-lot">{m.lotNumber}</label>
          <input id="harvest-lot" maxLength={20} autoCapitalize="characters" value={lotNumber} onInput={(e) => setLotNumber(e.currentTarget.value)} />
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
            <dd>{quantityText}</dd>
            <dt>{m.harvestDate}</dt>
            <dd>{date}</dd>
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
