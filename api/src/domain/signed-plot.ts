/** The plot a plot-registration event describes, as signed (`ft:plot`): what public pages show of a plot of origin. */
export interface PlotFacts {
  name: string;
  crops: string[];
  geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'Polygon'; coordinates: [number, number][][] };
  areaHa: number | null;
  declaredAreaHa: number | null;
  farmer: string;
  certifications: Array<{ scheme: string; number: string; issuer: string; validFrom: string; validTo: string; stars?: number }>;
  /** The plot's GLN, in registrations of plots that have one. */
  gln?: string;
}

/** The plot a plot-registration event's body describes; null for any other event. */
export function plotOf(body: Record<string, unknown>): PlotFacts | null {
  const plot = body['ft:plot'];
  return plot && typeof plot === 'object' ? (plot as PlotFacts) : null;
}
