import { checkPlotGeometry, type PlotGeometry, type Position } from '../../api/src/domain/plot-geometry.js';
import type { ConsoleLang } from './messages.js';
import { fieldErrorText } from './problem-messages.js';

/**
 * A plot's geometry from what the farmer pasted, walked or dropped, checked with the server's
 * own EUDR rules (api/src/domain/plot-geometry.ts), so the area shown before saving is the one
 * the server will compute and a plot the server would refuse is caught offline, said in the
 * farmer's language from the rule's code (problem-messages.ts).
 */
export type ShapeResult = { ok: true; geometry: PlotGeometry; areaHa: number | null } | { ok: false; messages: string[] };

/** A pasted GeoJSON geometry, Feature, or FeatureCollection holding exactly one Feature. */
export function shapeFromGeoJson(text: string, words: { notJson: string; notOneFeature: string; lang: ConsoleLang }): ShapeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, messages: [words.notJson] };
  }
  const object = value as { type?: unknown; geometry?: unknown; features?: unknown };
  if (object?.type === 'FeatureCollection') {
    const features = Array.isArray(object.features) ? object.features : [];
    if (features.length !== 1) return { ok: false, messages: [words.notOneFeature] };
    value = (features[0] as { geometry?: unknown }).geometry;
  } else if (object?.type === 'Feature') {
    value = object.geometry;
  }
  return checked(value, words.lang);
}

/** The walked ring, once closed. */
export function shapeFromRing(points: Position[], lang: ConsoleLang): ShapeResult {
  return checked({ type: 'Polygon', coordinates: [points] }, lang);
}

export function shapeFromPoint(lon: number, lat: number, lang: ConsoleLang): ShapeResult {
  return checked({ type: 'Point', coordinates: [lon, lat] }, lang);
}

function checked(geometry: unknown, lang: ConsoleLang): ShapeResult {
  const check = checkPlotGeometry(geometry);
  return check.ok ? check : { ok: false, messages: [...new Set(check.errors.map((e) => fieldErrorText(e, lang)))] };
}
