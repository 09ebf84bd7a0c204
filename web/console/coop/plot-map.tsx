import { MEMBERS_MESSAGES } from './messages/members.js';
import { useMessages } from './coop-context.js';

type Position = [number, number];

/** What the map needs of a plot (a subset of the API's Plot). */
export interface MapPlot {
  id: string;
  orgId: string;
  name: string;
  geometry: { type: 'Point'; coordinates: Position } | { type: 'Polygon'; coordinates: Position[][] };
  areaHa: number | null;
  declaredAreaHa: number | null;
}

interface Props {
  plots: MapPlot[];
  /** The member whose plots the map zooms to and highlights; null shows every plot. */
  focusOrgId: string | null;
  selectedId: string | null;
  colourOf: (orgId: string) => string;
  /** The plot's accessible name and tooltip: its name, member and area. */
  titleOf: (plot: MapPlot) => string;
  label: string;
  onSelect: (plotId: string) => void;
}

const WIDTH = 800;
const HEIGHT = 480;
const PADDING = 36;
const EARTH_RADIUS_M = 6378137;
/** The smallest ground extent shown, so one small plot is not blown up to fill the screen. */
const MIN_EXTENT_M = 400;
/** Points without a declared area, and tiny ones, stay big enough to see and to tap. */
const MIN_POINT_PX = 8;
const SCALE_BAR_MAX_PX = 160;

/** Spherical Web Mercator, in metres at the equator; y grows northwards. */
function mercator([lon, lat]: Position): Position {
  return [(EARTH_RADIUS_M * lon * Math.PI) / 180, EARTH_RADIUS_M * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))];
}

function latitudeOf(mercatorY: number): number {
  return ((2 * Math.atan(Math.exp(mercatorY / EARTH_RADIUS_M)) - Math.PI / 2) * 180) / Math.PI;
}

/** Mercator metres per ground metre at a latitude. */
function stretchAt(lat: number): number {
  return 1 / Math.cos((lat * Math.PI) / 180);
}

/** The ground radius, in metres, of a circle with the plot's declared area. */
function pointRadiusM(plot: MapPlot): number {
  return plot.declaredAreaHa ? Math.sqrt((plot.declaredAreaHa * 10_000) / Math.PI) : 0;
}

/** The plot's middle as [longitude, latitude]: its point, or the mean of its ring's vertices. */
export function plotCentre(plot: MapPlot): Position {
  if (plot.geometry.type === 'Point') return plot.geometry.coordinates;
  const ring = plot.geometry.coordinates[0]!.slice(0, -1);
  return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
}

interface Frame {
  /** Pixels per Mercator metre. */
  scale: number;
  toPx: (position: Position) => Position;
  centreLat: number;
}

/** Fits the plots' Mercator bounds (points with their circles) into the drawing, keeping the aspect. */
function frameFor(plots: MapPlot[]): Frame {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  const include = ([x, y]: Position, margin = 0) => {
    minX = Math.min(minX, x - margin);
    maxX = Math.max(maxX, x + margin);
    minY = Math.min(minY, y - margin);
    maxY = Math.max(maxY, y + margin);
  };
  for (const plot of plots) {
    if (plot.geometry.type === 'Point') include(mercator(plot.geometry.coordinates), pointRadiusM(plot) * stretchAt(plot.geometry.coordinates[1]));
    else for (const position of plot.geometry.coordinates[0]!) include(mercator(position));
  }
  const centre: Position = [(minX + maxX) / 2, (minY + maxY) / 2];
  const centreLat = latitudeOf(centre[1]);
  const minExtent = MIN_EXTENT_M * stretchAt(centreLat);
  const scale = Math.min((WIDTH - 2 * PADDING) / Math.max(maxX - minX, minExtent), (HEIGHT - 2 * PADDING) / Math.max(maxY - minY, minExtent));
  return {
    scale,
    centreLat,
    toPx: (position) => {
      const [x, y] = mercator(position);
      return [WIDTH / 2 + (x - centre[0]) * scale, HEIGHT / 2 - (y - centre[1]) * scale];
    },
  };
}

/** The longest round distance (1, 2 or 5 × 10ⁿ metres) whose bar fits in SCALE_BAR_MAX_PX. */
function scaleBarFor(frame: Frame): { metres: number; px: number } {
  const pxPerGroundMetre = frame.scale * stretchAt(frame.centreLat);
  const longest = SCALE_BAR_MAX_PX / pxPerGroundMetre;
  const power = 10 ** Math.floor(Math.log10(longest));
  const metres = [5, 2, 1].map((f) => f * power).find((m) => m <= longest) ?? power;
  return { metres, px: metres * pxPerGroundMetre };
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The plots drawn by hand in an SVG (Web Mercator, fitted to the plots shown), with no tile server:
 * it works on a LAN without internet, within a `'self'` CSP, and no third party learns where the
 * farms are. Each plot is a focusable button named by its title; Enter or Space selects it.
 */
export function PlotMap({ plots, focusOrgId, selectedId, colourOf, titleOf, label, onSelect }: Props) {
  const m = useMessages(MEMBERS_MESSAGES);
  const focused = focusOrgId ? plots.filter((p) => p.orgId === focusOrgId) : plots;
  const frame = frameFor(focused.length ? focused : plots);
  const bar = scaleBarFor(frame);
  // The selected plot is drawn last, so its outline is never hidden under a neighbour.
  const ordered = [...plots].sort((a, b) => Number(a.id === selectedId) - Number(b.id === selectedId));
  return (
    <svg class="plot-map" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label={label}>
      <rect width={WIDTH} height={HEIGHT} fill="#eef2ea" />
      {ordered.map((plot) => {
        const colour = colourOf(plot.orgId);
        const dimmed = focusOrgId !== null && plot.orgId !== focusOrgId;
        const selected = plot.id === selectedId;
        const title = titleOf(plot);
        const select = () => onSelect(plot.id);
        let shape;
        let label: { x: number; y: number; anchor: 'start' | 'middle' };
        if (plot.geometry.type === 'Point') {
          const [x, y] = frame.toPx(plot.geometry.coordinates);
          const r = Math.max(MIN_POINT_PX, pointRadiusM(plot) * stretchAt(plot.geometry.coordinates[1]) * frame.scale);
          shape = (
            <>
              <circle class="shape" cx={round(x)} cy={round(y)} r={round(r)} fill={colour} fill-opacity="0.3" stroke={colour} stroke-width={selected ? 4 : 2} />
              <circle cx={round(x)} cy={round(y)} r="3" fill={colour} />
            </>
          );
          label = { x: x + r + 4, y: y + 4, anchor: 'start' };
        } else {
          const d = plot.geometry.coordinates
            .map((ring) => 'M' + ring.map((p) => frame.toPx(p).map(round).join(' ')).join('L') + 'Z')
            .join('');
          const [x, y] = frame.toPx(plotCentre(plot));
          const corners = plot.geometry.coordinates[0]!.map(frame.toPx);
          const bottom = Math.max(...corners.map((c) => c[1]));
          const size = Math.max(Math.max(...corners.map((c) => c[0])) - Math.min(...corners.map((c) => c[0])), bottom - Math.min(...corners.map((c) => c[1])));
          // Seen from afar a plot is a few pixels wide: a marker at its middle keeps it visible and easy to tap.
          const marker = size < 3 * MIN_POINT_PX;
          shape = (
            <>
              <path class={marker ? undefined : 'shape'} d={d} fill={colour} fill-opacity="0.3" stroke={colour} stroke-width={selected ? 4 : 2} stroke-linejoin="round" />
              {marker ? <circle class="shape" cx={round(x)} cy={round(y)} r={MIN_POINT_PX} fill="#fff" stroke={colour} stroke-width={selected ? 4 : 3} /> : null}
            </>
          );
          label = marker ? { x: x + MIN_POINT_PX + 4, y: y + 4, anchor: 'start' } : { x, y: bottom + 16, anchor: 'middle' };
        }
        return (
          <g
            key={plot.id}
            role="button"
            tabindex={0}
            aria-label={title}
            aria-pressed={selected}
            data-plot-id={plot.id}
            opacity={dimmed ? 0.35 : 1}
            class={selected ? 'selected' : undefined}
            onClick={select}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                select();
              }
            }}
          >
            <title>{title}</title>
            {shape}
            <text x={round(label.x)} y={round(label.y)} text-anchor={label.anchor} class="plot-label">
              {plot.name}
            </text>
          </g>
        );
      })}
      <g aria-label={`${m.scaleBar}: ${m.metres(bar.metres)}`} role="img">
        <rect x="12" y={HEIGHT - 34} width={round(bar.px + 16)} height="26" fill="#fff" fill-opacity="0.85" rx="4" />
        <path d={`M20 ${HEIGHT - 20}v6h${round(bar.px)}v-6`} fill="none" stroke="#1c2419" stroke-width="2" />
        <text x={round(20 + bar.px / 2)} y={HEIGHT - 22} text-anchor="middle" class="scale-label">
          {m.metres(bar.metres)}
        </text>
      </g>
    </svg>
  );
}
