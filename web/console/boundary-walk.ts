import { useEffect, useRef, useState } from 'preact/hooks';
import type { Position } from '../../api/src/domain/plot-geometry.js';

/**
 * Walking a plot's boundary with the phone's GPS: positions are recorded as the farmer walks
 * (fixes worse than MAX_ACCURACY_M are skipped, and one is kept only after MIN_STEP_M of
 * movement, so standing still does not pile up points), or one at a time by a tap at each corner.
 * Closing the ring repeats the first position at the end, as GeoJSON requires.
 */
const MAX_ACCURACY_M = 25;
const MIN_STEP_M = 3;
/** About 1 cm: finer digits are GPS noise, and EUDR asks for at least 6 decimals. */
const DECIMALS = 7;

/** Why the phone gave no position (the messages say each in the user's language). */
export type GeoFailure = 'unsupported' | 'denied' | 'unavailable' | 'timeout';

/** The failure a Geolocation API error stands for (its numeric code, never its English message). */
export function geoFailureOf(error: GeolocationPositionError): GeoFailure {
  return error.code === error.PERMISSION_DENIED ? 'denied' : error.code === error.TIMEOUT ? 'timeout' : 'unavailable';
}

export interface BoundaryWalk {
  points: Position[];
  walking: boolean;
  closed: boolean;
  accuracyM: number | null;
  error: GeoFailure | null;
  start(): void;
  stop(): void;
  addCurrentPoint(): void;
  close(): void;
  restart(): void;
}

function metresBetween(a: Position, b: Position): number {
  const rad = Math.PI / 180;
  const x = (b[0] - a[0]) * rad * Math.cos(((a[1] + b[1]) / 2) * rad);
  const y = (b[1] - a[1]) * rad;
  return Math.hypot(x, y) * 6_371_000;
}

export function positionOf(fix: GeolocationPosition): Position {
  const round = (v: number) => Number(v.toFixed(DECIMALS));
  return [round(fix.coords.longitude), round(fix.coords.latitude)];
}

export function useBoundaryWalk(): BoundaryWalk {
  const [points, setPoints] = useState<Position[]>([]);
  const [walking, setWalking] = useState(false);
  const [closed, setClosed] = useState(false);
  const [accuracyM, setAccuracy] = useState<number | null>(null);
  const [error, setError] = useState<GeoFailure | null>(null);
  const watch = useRef<number | null>(null);

  const append = (fix: GeolocationPosition, force: boolean) => {
    setAccuracy(fix.coords.accuracy);
    if (!force && fix.coords.accuracy > MAX_ACCURACY_M) return;
    const next = positionOf(fix);
    setPoints((current) => {
      const last = current[current.length - 1];
      if (last && (last[0] === next[0] && last[1] === next[1])) return current;
      if (!force && last && metresBetween(last, next) < MIN_STEP_M) return current;
      return [...current, next];
    });
  };

  const stop = () => {
    if (watch.current !== null) navigator.geolocation.clearWatch(watch.current);
    watch.current = null;
    setWalking(false);
  };

  useEffect(() => stop, []);

  return {
    points,
    walking,
    closed,
    accuracyM,
    error,
    start() {
      if (!('geolocation' in navigator)) return setError('unsupported');
      setError(null);
      setClosed(false);
      watch.current = navigator.geolocation.watchPosition((fix) => append(fix, false), (e) => setError(geoFailureOf(e)), { enableHighAccuracy: true, maximumAge: 0 });
      setWalking(true);
    },
    stop,
    addCurrentPoint() {
      if (!('geolocation' in navigator)) return setError('unsupported');
      navigator.geolocation.getCurrentPosition((fix) => append(fix, true), (e) => setError(geoFailureOf(e)), { enableHighAccuracy: true, maximumAge: 0, timeout: 30_000 });
    },
    close() {
      stop();
      setPoints((current) => (current.length >= 3 ? [...current, current[0]!] : current));
      setClosed(true);
    },
    restart() {
      stop();
      setPoints([]);
      setClosed(false);
      setError(null);
    },
  };
}
