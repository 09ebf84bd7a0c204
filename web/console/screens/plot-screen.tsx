import { useState } from 'preact/hooks';
import { EUDR_POINT_MAX_HA } from '../../../api/src/domain/plot-geometry.js';
import { geoFailureOf, positionOf, useBoundaryWalk } from '../boundary-walk.js';
import { CROPS, type Crop } from '../../../api/src/domain/vocabulary.js';
import type { ConsoleMessages } from '../messages.js';
import { newLocalId, type NewOutboxEntry } from '../outbox.js';
import { shapeFromGeoJson, shapeFromPoint, shapeFromRing, type ShapeResult } from '../plot-shape.js';
import { ScreenHeading } from './screen-heading.js';

type Mode = 'walk' | 'point' | 'paste';

interface Props {
  m: ConsoleMessages;
  onSave: (entries: NewOutboxEntry[], message: string) => Promise<void>;
}

/** Registers a plot by walking its boundary, dropping one point, or pasting GeoJSON; shows its area before saving. */
export function PlotScreen({ m, onSave }: Props) {
  const [name, setName] = useState('');
  const [crop, setCrop] = useState<Crop>('coffee-robusta');
  const [mode, setMode] = useState<Mode>('walk');
  const [pasted, setPasted] = useState('');
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [declared, setDeclared] = useState('');
  const [locating, setLocating] = useState(false);
  const [geoError, setGeoError] = useState<string | null>(null);
  const walk = useBoundaryWalk();

  const shape: ShapeResult | null =
    mode === 'paste'
      ? pasted.trim()
        ? shapeFromGeoJson(pasted, m)
        : null
      : mode === 'point'
        ? lat.trim() && lon.trim()
          ? shapeFromPoint(Number(lon.replace(',', '.')), Number(lat.replace(',', '.')), m.lang)
          : null
        : walk.closed
          ? shapeFromRing(walk.points, m.lang)
          : null;
  const isPoint = shape?.ok === true && shape.geometry.type === 'Point';
  const declaredHa = Number(declared.replace(',', '.'));
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
        setLon(String(longitude));
        setLat(String(latitude));
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
    await onSave([{ kind: 'plot', path: '/api/v1/plots', json: body, localId: newLocalId() }], m.plotQueued);
  };

  const walkError = walk.error ? m.geoFailures[walk.error] : null;

  return (
    <form onSubmit={save}>
      <ScreenHeading>{m.plotHeading}</ScreenHeading>
      <label for="plot-name">{m.plotName}</label>
      <input id="plot-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="plot-crop">{m.crop}</label>
      <select id="plot-crop" value={crop} onChange={(e) => setCrop(e.currentTarget.value as Crop)}>
        {CROPS.map((c) => (
          <option key={c} value={c}>
            {m.crops[c]}
          </option>
        ))}
      </select>

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
              <div>
                <label for="plot-lat">{m.latitude}</label>
                <input id="plot-lat" inputMode="decimal" value={lat} onInput={(e) => setLat(e.currentTarget.value)} />
              </div>
              <div>
                <label for="plot-lon">{m.longitude}</label>
                <input id="plot-lon" inputMode="decimal" value={lon} onInput={(e) => setLon(e.currentTarget.value)} />
              </div>
            </div>
            <label for="plot-declared">{m.declaredArea}</label>
            <input id="plot-declared" inputMode="decimal" value={declared} onInput={(e) => setDeclared(e.currentTarget.value)} />
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
          {m.savePlot}
        </button>
      </div>
    </form>
  );
}
