import type { PlotFacts } from '../../api/src/domain/signed-plot.js';

const WIDTH = 320;
const HEIGHT = 200;
const PAD = 16;
/** A lone point is drawn in a window about 1 km wide, so it does not fill the map. */
const MIN_SPAN_DEGREES = 0.01;

type LonLat = [number, number];

function positionsOf(geometry: PlotFacts['geometry']): LonLat[] {
  return geometry.type === 'Point' ? [geometry.coordinates] : (geometry.coordinates[0] ?? []);
}

/** The centre of a plot's outline (mean of its ring's distinct positions), for map links and labels. */
export function plotCentre(geometry: PlotFacts['geometry']): LonLat {
  const ring = positionsOf(geometry);
  const distinct = ring.length > 1 ? ring.slice(0, -1) : ring;
  const lon = distinct.reduce((s, p) => s + p[0], 0) / distinct.length;
  const lat = distinct.reduce((s, p) => s + p[1], 0) / distinct.length;
  return [lon, lat];
}

export function openStreetMapUrl([lon, lat]: LonLat, zoom = 16): string {
  const la = lat.toFixed(6);
  const lo = lon.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=${zoom}/${la}/${lo}`;
}

/**
 * The plots drawn as inline SVG from their signed geometry: an equirectangular projection
 * scaled by cos(latitude), which is true to shape at the size of a farm. No tiles, no script.
 * `mini` draws it small (128×80), for the lot page's first screen.
 */
export function PlotMap({ plots, caption, mini = false }: { plots: PlotFacts[]; caption: string; mini?: boolean }) {
  // Loops, not Math.min(...all): a lot may name plots with hundreds of thousands of positions.
  let [minLon, maxLon, minLat, maxLat] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const plot of plots) {
    for (const [lon, lat] of positionsOf(plot.geometry)) {
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    }
  }
  if (minLon === Infinity) return null;
  const cos = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * cos, MIN_SPAN_DEGREES);
  const spanY = Math.max(maxLat - minLat, MIN_SPAN_DEGREES);
  const scale = Math.min((WIDTH - 2 * PAD) / spanX, (HEIGHT - 2 * PAD) / spanY);
  const centreX = ((minLon + maxLon) / 2) * cos;
  const centreY = (minLat + maxLat) / 2;
  const project = ([lon, lat]: LonLat): [number, number] => [
    round(WIDTH / 2 + (lon * cos - centreX) * scale),
    round(HEIGHT / 2 - (lat - centreY) * scale),
  ];
  const metresPerPixel = 111_320 / scale;
  const scaleBar = niceLength(metresPerPixel * 80);

  return (
    <svg class={mini ? 'map mini' : 'map'} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="map-title" width={mini ? WIDTH / 2.5 : WIDTH} height={mini ? HEIGHT / 2.5 : HEIGHT}>
      <title id="map-title">{caption}</title>
      <rect width={WIDTH} height={HEIGHT} fill="#eef3e8" />
      {plots.map((plot, i) => {
        const [x, y] = project(plotCentre(plot.geometry));
        return (
          <g key={i}>
            {plot.geometry.type === 'Polygon' ? (
              <path d={outlinePath(positionsOf(plot.geometry).map(project))} fill="#7fb069" fill-opacity="0.55" stroke="#2f6b2f" stroke-width="1.5" />
            ) : null}
            {plot.geometry.type === 'Point' || extent(positionsOf(plot.geometry).map(project)) < MIN_SHAPE_PIXELS * (mini ? 2.5 : 1) ? (
              <circle cx={x} cy={y} r={mini ? 15 : 6} fill="#2f6b2f" stroke="#fff" stroke-width={mini ? 5 : 2} />
            ) : null}
            {mini ? null : (
              <text x={x} y={y - 9} text-anchor="middle" font-size="12" font-weight="700" fill="#1b3d1b">
                {i + 1}
              </text>
            )}
          </g>
        );
      })}
      {/* A scale bar only where it can be read. */}
      {mini ? null : (
        <g transform={`translate(${PAD} ${HEIGHT - PAD})`}>
          <path d={`M0 0H${round(scaleBar.metres / metresPerPixel)}`} stroke="#1b3d1b" stroke-width="2" />
          <text y="-5" font-size="11" fill="#1b3d1b">
            {scaleBar.label}
          </text>
        </g>
      )}
    </svg>
  );
}

/**
 * The outline as drawn at the map's resolution: positions that round to the pixel already drawn
 * are left out, so a 2,000-position survey costs bytes in proportion to what shows.
 */
function outlinePath(points: Array<[number, number]>): string {
  const kept: string[] = [];
  let last = '';
  for (const [x, y] of points) {
    const here = `${Math.round(x)} ${Math.round(y)}`;
    if (here !== last) kept.push(here);
    last = here;
  }
  return `M${kept.join('L')}Z`;
}

/** Below this size on the map an outline is unreadable, so a marker is drawn over it. */
const MIN_SHAPE_PIXELS = 10;

function extent(points: Array<[number, number]>): number {
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  return Math.max(maxX - minX, maxY - minY);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function niceLength(metres: number): { metres: number; label: string } {
  const steps = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];
  const chosen = steps.filter((s) => s <= metres).pop() ?? steps[0]!;
  return { metres: chosen, label: chosen >= 1000 ? `${chosen / 1000} km` : `${chosen} m` };
}
