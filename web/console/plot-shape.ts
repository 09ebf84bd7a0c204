import { checkPlotGeometry, type PlotGeometry, type Position } from '../../api/src/domain/plot-geometry.js';

/**
 * A plot's geometry from what the farmer pasted, walked or dropped, checked with the server's
 * own EUDR rules (api/src/domain/plot-geometry.ts), so the area shown before saving is the one
 * the server will compute and a plot the server would refuse is caught offline.
 */
export type ShapeResult = { ok: true; geometry: PlotGeometry; areaHa: number | null } | { ok: false; messages: string[] };

/** A pasted GeoJSON geometry, Feature, or FeatureCollection holding exactly one Feature. */
export function shapeFromGeoJson(text: string, words: { notJson: string; notOneFeature: string }): ShapeResult {
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
  return checked(value);
}

/** The walked ring, once closed. */
export function shapeFromRing(points: Position[]): ShapeResult {
  return checked({ type: 'Polygon', coordinates: [points] });
}

export function shapeFromPoint(lon: number, lat: number): ShapeResult {
  return checked({ type: 'Point', coordinates: [lon, lat] });
}

function checked(geometry: unknown): ShapeResult {
  const check = checkPlotGeometry(geometry);
  return check.ok ? check : { ok: false, messages: check.errors.map((e) => e.message) };
}
