import { area as turfArea } from '@turf/area';
import type { FieldError } from './problem-codes.js';

/**
 * Plot geometry as the EU Deforestation Regulation (EU 2023/1115) and its information system
 * accept it: WGS84 [longitude, latitude], a Point or a single-ring Polygon, coordinates kept
 * exactly as given (never rounded), rings closed with at least four positions, no
 * self-intersection and no holes. Plots over 4 ha must be polygons.
 */
export const EUDR_POINT_MAX_HA = 4;

/** Far beyond a walked boundary (a 50 ha plot at one point every 3 m), and keeps the crossing check cheap. */
export const MAX_RING_POSITIONS = 2000;

export type Position = [number, number];

/** What is wrong with a geometry and where (a path such as `geometry.coordinates[0][3]`), with its code; the API answers it as a field error. */
export type GeometryProblem = FieldError;

export type PlotGeometry = { type: 'Point'; coordinates: Position } | { type: 'Polygon'; coordinates: Position[][] };

export type GeometryCheck = { ok: true; geometry: PlotGeometry; areaHa: number | null } | { ok: false; errors: GeometryProblem[] };

function checkPosition(value: unknown, path: string, errors: GeometryProblem[]): value is Position {
  if (!Array.isArray(value) || value.length !== 2) {
    errors.push({ path, code: 'plot-position-format', message: 'a position is [longitude, latitude] (two numbers, WGS84)' });
    return false;
  }
  const [lon, lat] = value as unknown[];
  if (typeof lon !== 'number' || !Number.isFinite(lon) || typeof lat !== 'number' || !Number.isFinite(lat)) {
    errors.push({ path, code: 'plot-position-not-finite', message: 'longitude and latitude must be finite numbers' });
    return false;
  }
  if (lon < -180 || lon > 180) errors.push({ path: `${path}[0]`, code: 'plot-longitude-range', message: 'longitude must be between -180 and 180', params: { minimum: -180, maximum: 180 } });
  if (lat < -90 || lat > 90) errors.push({ path: `${path}[1]`, code: 'plot-latitude-range', message: 'latitude must be between -90 and 90', params: { minimum: -90, maximum: 90 } });
  return errors.length === 0;
}

/** Validates a GeoJSON geometry for a plot and computes its geodesic area in hectares. */
export function checkPlotGeometry(input: unknown, path = 'geometry'): GeometryCheck {
  const errors: GeometryProblem[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ path, code: 'plot-geometry-required', message: 'a GeoJSON Point or Polygon object is required' }] };
  }
  const { type, coordinates, ...rest } = input as Record<string, unknown>;
  const extra = Object.keys(rest).filter((k) => k !== 'bbox');
  if (extra.length) errors.push({ path, code: 'unknown-field', message: `unknown field${extra.length > 1 ? 's' : ''}: ${extra.join(', ')}`, params: { fields: extra.join(', ') } });

  if (type === 'Point') {
    if (checkPosition(coordinates, `${path}.coordinates`, errors) && errors.length === 0) {
      return { ok: true, geometry: { type: 'Point', coordinates: coordinates as Position }, areaHa: null };
    }
    return { ok: false, errors };
  }
  if (type !== 'Polygon') {
    return { ok: false, errors: [{ path: `${path}.type`, code: 'plot-geometry-type', message: 'a plot is a GeoJSON Point or Polygon' }] };
  }
  if (!Array.isArray(coordinates) || coordinates.length === 0) {
    return { ok: false, errors: [{ path: `${path}.coordinates`, code: 'plot-ring-missing', message: 'a Polygon needs one linear ring' }] };
  }
  if (coordinates.length > 1) {
    return { ok: false, errors: [{ path: `${path}.coordinates[1]`, code: 'plot-holes', message: 'polygons with holes are not accepted (EUDR): give the outer ring only' }] };
  }
  const ring = coordinates[0] as unknown;
  const ringPath = `${path}.coordinates[0]`;
  if (!Array.isArray(ring)) return { ok: false, errors: [{ path: ringPath, code: 'plot-ring-format', message: 'a linear ring is an array of positions' }] };
  ring.forEach((pos, i) => checkPosition(pos, `${ringPath}[${i}]`, errors));
  if (errors.length) return { ok: false, errors };
  const positions = ring as Position[];
  if (positions.length > MAX_RING_POSITIONS) {
    return { ok: false, errors: [{ path: ringPath, code: 'plot-ring-too-many-positions', message: `a ring has at most ${MAX_RING_POSITIONS} positions`, params: { maximum: MAX_RING_POSITIONS } }] };
  }
  if (positions.length < 4) {
    return { ok: false, errors: [{ path: ringPath, code: 'plot-ring-too-few-positions', message: 'a ring needs at least 4 positions (a closed triangle)', params: { minimum: 4 } }] };
  }
  const first = positions[0] as Position;
  const last = positions[positions.length - 1] as Position;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return { ok: false, errors: [{ path: ringPath, code: 'plot-ring-not-closed', message: 'the ring is not closed: its last position must equal its first' }] };
  }
  const distinct = new Set(positions.slice(0, -1).map((p) => `${p[0]},${p[1]}`));
  if (distinct.size < 3) {
    return { ok: false, errors: [{ path: ringPath, code: 'plot-ring-too-few-distinct', message: 'a ring needs at least 3 distinct positions', params: { minimum: 3 } }] };
  }
  if (distinct.size !== positions.length - 1) {
    return { ok: false, errors: [{ path: ringPath, code: 'plot-ring-repeats-position', message: 'the ring repeats a position (it touches itself)' }] };
  }
  const geometry: PlotGeometry = { type: 'Polygon', coordinates: [positions] };
  const crossing = firstSelfIntersection(positions);
  if (crossing) {
    return { ok: false, errors: [{ path: ringPath, code: 'plot-self-intersecting', message: `the ring intersects itself (edges ${crossing[0]} and ${crossing[1]} cross)`, params: { edgeA: crossing[0], edgeB: crossing[1] } }] };
  }
  const areaHa = turfArea(geometry) / 10_000;
  if (!(areaHa > 0)) return { ok: false, errors: [{ path: ringPath, code: 'plot-no-area', message: 'the polygon has no area' }] };
  return { ok: true, geometry, areaHa };
}

/** Sign of the turn p→q→r: >0 counter-clockwise, <0 clockwise, 0 collinear. */
function orientation(p: Position, q: Position, r: Position): number {
  return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
}

function onSegment(p: Position, q: Position, r: Position): boolean {
  return Math.min(p[0], r[0]) <= q[0] && q[0] <= Math.max(p[0], r[0]) && Math.min(p[1], r[1]) <= q[1] && q[1] <= Math.max(p[1], r[1]);
}

function segmentsIntersect(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orientation(a, b, c);
  const o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a);
  const o4 = orientation(c, d, b);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  return (o1 === 0 && onSegment(a, c, b)) || (o2 === 0 && onSegment(a, d, b)) || (o3 === 0 && onSegment(c, a, d)) || (o4 === 0 && onSegment(c, b, d));
}

/**
 * The first pair of non-adjacent edges of a closed ring that touch or cross, or null. Planar test
 * on longitude/latitude, which is exact enough at plot scale; stops at the first crossing.
 */
export function firstSelfIntersection(ring: Position[]): [number, number] | null {
  const edges = ring.length - 1;
  for (let i = 0; i < edges; i++) {
    for (let j = i + 2; j < edges; j++) {
      if (i === 0 && j === edges - 1) continue; // the first and last edges share the closing vertex
      if (segmentsIntersect(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return [i, j];
    }
  }
  return null;
}
