import { useState } from 'preact/hooks';
import { EUDR_POINT_MAX_HA } from '../../../api/src/domain/plot-geometry.js';
import { geoFailureOf, positionOf, useBoundaryWalk } from '../boundary-walk.js';
import { CROPS, type Crop } from '../../../api/src/domain/vocabulary.js';
import type { ConsoleMessages } from '../messages.js';
import { formatLocaleNumber } from '../../../api/src/domain/locale-number.js';
import { NumberField, numberOf } from '../number-field.js';
import { newLocalId, type NewOutboxEntry } from '../outbox.js';
import { shapeFromGeoJson, shapeFromPoint, shapeFromRing, type ShapeResult } from '../plot-shape.js';
import { refusalOf } from '../refusal.js';
import { DiscardButton, FieldReason, invalidIf, RefusedNotice, type RefusedEntry } from './refused-entry.js';
import { ScreenHeading } from './screen-heading.js';

type Mode = 'walk' | 'point' | 'paste';

/** Coordinates may be negative and keep 7 decimals (about 1 cm); a declared area is a positive amount. */
const COORDINATE = { negative: true, maxDecimals: 7 } as const;
const AREA = { positive: true } as const;

interface Props {
  m: ConsoleMessages;
  onSave: (entries: NewOutboxEntry[]) => Promise<void>;
  /** A plot the server refused, reopened to be corrected and sent again. */
  refused?: RefusedEntry;
}

interface PlotBody {
  name: string;
  crops: Crop[];
  geometry: { type: string; coordinates: unknown };
  declaredAreaHa?: number;
}

/** A refused plot's shape as its form holds it, numbers written in the UI language's convention: a point as coordinates, a boundary as the GeoJSON it was saved as. */
function shapeInputs(was: PlotBody | undefined, lang: ConsoleMessages['htmlLang']): { mode: Mode; pasted: string; lat: string; lon: string; declared: string } {
  if (!was) return { mode: 'walk', pasted: '', lat: '', lon: '', declared: '' };
  const declared = was.declaredAreaHa !== undefined ? formatLocaleNumber(was.declaredAreaHa, lang) : '';
  if (was.geometry.type === 'Point') {
    const [lon, lat] = was.geometry.coordinates as [number, number];
    return { mode: 'point', pasted: '', lat: formatLocaleNumber(lat, lang), lon: formatLocaleNumber(lon, lang), declared };
  }
  return { mode: 'paste', pasted: JSON.stringify(was.geometry), lat: '', lon: '', declared };
}

/** Registers a plot by walking its boundary, dropping one point, or pasting GeoJSON; shows its area before saving. */
export function PlotScreen({ m, onSave, refused }: Props) {
  const was = refused?.item.json as PlotBody | undefined;
  const why = refusalOf('plot', refused?.item);
  const [initial] = useState(() => shapeInputs(was, m.htmlLang));
  const [name, setName] = useState(was?.name ?? '');
  const [crop, setCrop] = useState<Crop>(was?.crops[0] ?? 'coffee-robusta');
  const [mode, setMode] = useState<Mode>(initial.mode);
  const [pasted, setPasted] = useState(initial.pasted);
  const [lat, setLat] = useState(initial.lat);
  const [lon, setLon] = useState(initial.lon);
  const [declared, setDeclared] = useState(initial.declared);
  const [locating, setLocating] = useState(false);
  const [geoError, setGeoError] = useState<string | null>(null);
  const walk = useBoundaryWalk();
  const lang = m.htmlLang;
  const pointLat = numberOf(lat, lang, COORDINATE);
  const pointLon = numberOf(lon, lang, COORDINATE);

  const shape: ShapeResult | null =
    mode === 'paste'
      ? pasted.trim()
        ? shapeFromGeoJson(pasted, m)
        : null
      : mode === 'point'
        ? pointLat !== null && pointLon !== null
          ? shapeFromPoint(pointLon, pointLat, m.lang)
          : null
        : walk.closed
          ? shapeFromRing(walk.points, m.lang)
          : null;
  const isPoint = shape?.ok === true && shape.geometry.type === 'Point';
  const declaredHa = numberOf(declared, lang, AREA) ?? Number.NaN;
  const pointProblem = !isPoint ? null : !(declaredHa > 0) ? m.needsDeclaredArea : declaredHa > EUDR_POINT_MAX_HA ? m.pointTooLarge : null;
  const areaHa = shape?.ok ? (shape.geometry.type === 'Point' ? (declaredHa > 0 ? declaredHa : null) : shape.areaHa) : null;
  const ready = name.trim() !== '' && shape?.ok === true && !pointProblem;

  const locate = () => {
    if (!('geolocation' in navigator)) return setGeoError(m.geoFailures.unsupported);
    setLocating(true);
    setGeoError(null);
    navigator.geolocation.getCurrentPosition(
      (fix) => {
        const [longitude, latitude] = positionOf(fix);
        // Written in the UI language's convention, so the fields read back what the phone gave.
        setLon(formatLocaleNumber(longitude, lang));
        setLat(formatLocaleNumber(latitude, lang));
        setLocating(false);
      },
      (e) => {
        setGeoError(m.geoFailures[geoFailureOf(e)]);
        setLocating(false);
      },
      { enableHighAccuracy: true, timeout: 30_000, maximumAge: 0 },
    );
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (!ready || !shape?.ok) return;
    const body = { name: name.trim(), crops: [crop], geometry: shape.geometry, ...(isPoint ? { declaredAreaHa: declaredHa } : {}) };
    await onSave([{ kind: 'plot', path: '/api/v1/plots', json: body, localId: newLocalId() }]);
  };

  const walkError = walk.error ? m.geoFailures[walk.error] : null;

  return (
    <form onSubmit={save}>
      <ScreenHeading>{m.plotHeading}</ScreenHeading>
      {refused && why ? <RefusedNotice m={m} refused={refused} refusal={why} /> : null}
      <label for="plot-name">{m.plotName}</label>
      <input id="plot-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} {...invalidIf(why?.fields.name, 'plot-name-reason')} />
      <FieldReason m={m} reasons={why?.fields.name} id="plot-name-reason" />
      <label for="plot-crop">{m.crop}</label>
      <select id="plot-crop" value={crop} onChange={(e) => setCrop(e.currentTarget.value as Crop)} {...invalidIf(why?.fields.crop, 'plot-crop-reason')}>
        {CROPS.map((c) => (
          <option key={c} value={c}>
            {m.crops[c]}
          </option>
        ))}
      </select>
      <FieldReason m={m} reasons={why?.fields.crop} id="plot-crop-reason" />

      <fieldset>
        <legend>{m.shapeHeading}</legend>
        <div class="tabs">
          {(
            [
              ['walk', m.modeWalk],
              ['point', m.modePoint],
              ['paste', m.modePaste],
            ] as const
          ).map(([value, label]) => (
            <button key={value} type="button" aria-pressed={mode === value} onClick={() => setMode(value)}>
              {label}
            </button>
          ))}
        </div>

        {mode === 'walk' ? (
          <div>
            <p class="small">{m.walkHelp}</p>
            <div class="actions">
              {walk.walking ? (
                <button type="button" onClick={walk.stop}>
                  {m.walkStop}
                </button>
              ) : (
                <button type="button" onClick={walk.start} disabled={walk.closed}>
                  {m.walkStart}
                </button>
              )}
              <button type="button" onClick={walk.addCurrentPoint} disabled={walk.closed}>
                {m.walkAddPoint}
              </button>
              <button type="button" onClick={walk.close} disabled={walk.closed || walk.points.length < 3}>
                {m.walkClose}
              </button>
              <button type="button" onClick={walk.restart}>
                {m.walkRestart}
              </button>
            </div>
            <p aria-live="polite">
              {m.walkPoints(walk.closed ? walk.points.length - 1 : walk.points.length)}
              {walk.accuracyM !== null ? ` · ${m.walkAccuracy(walk.accuracyM)}` : ''}
              {walk.closed ? ` · ${m.walkClosed}` : ''}
            </p>
            {walkError ? <p class="error">{walkError}</p> : null}
          </div>
        ) : mode === 'point' ? (
          <div>
            <p class="small">{m.pointHelp}</p>
            <button type="button" onClick={locate} disabled={locating}>
              {locating ? m.locating : m.useMyLocation}
            </button>
            {geoError ? <p class="error">{geoError}</p> : null}
            <div class="row">
              <NumberField id="plot-lat" label={m.latitude} lang={lang} unit="degree" rules={COORDINATE} value={lat} onInput={setLat} />
              <NumberField id="plot-lon" label={m.longitude} lang={lang} unit="degree" rules={COORDINATE} value={lon} onInput={setLon} />
            </div>
            <NumberField id="plot-declared" label={m.declaredArea} lang={lang} unit="ha" rules={AREA} value={declared} onInput={setDeclared} />
            <FieldReason m={m} reasons={why?.fields.declared} id="plot-declared-reason" />
          </div>
        ) : (
          <div>
            <label for="plot-geojson">{m.geojson}</label>
            <p class="small" id="plot-geojson-help">
              {m.pasteHelp}
            </p>
            <textarea id="plot-geojson" aria-describedby="plot-geojson-help" spellcheck={false} value={pasted} onInput={(e) => setPasted(e.currentTarget.value)} />
          </div>
        )}
        <FieldReason m={m} reasons={why?.fields.shape} id="plot-shape-reason" />
      </fieldset>

      <div aria-live="polite" id="plot-area">
        {shape && !shape.ok ? (
          <ul class="error">
            {shape.messages.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        ) : pointProblem ? (
          <p class="note">{pointProblem}</p>
        ) : areaHa !== null ? (
          <p class="area">
            {m.area}: {m.hectares(areaHa)}
          </p>
        ) : (
          <p class="small">{m.areaPending}</p>
        )}
      </div>

      <div class="actions">
        <a class="button" href="#/">
          {m.cancel}
        </a>
        <button class="primary" type="submit" disabled={!ready}>
          {refused ? m.resend : m.savePlot}
        </button>
      </div>
      {refused ? <DiscardButton m={m} waiting={refused.waiting.length} onDiscard={refused.onDiscard} /> : null}
    </form>
  );
}
