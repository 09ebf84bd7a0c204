/** Plots (growing areas) and their certifications: record and repository. */

import type { CertificationScheme } from '../../domain/vocabulary.js';
import type { Page, PageRequest } from './pagination.js';

export interface Certification {
  scheme: CertificationScheme;
  number: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  stars?: number | undefined;
}

export interface PlotRecord {
  id: string;
  orgId: string;
  name: string;
  crops: string[];
  geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'Polygon'; coordinates: [number, number][][] };
  areaHa: number | null;
  declaredAreaHa: number | null;
  certifications: Certification[];
  /** GS1 GLN of the growing area (GS1 identifies a plot as a location); unique among plots. */
  gln: string | null;
  eventId: string;
  createdBy: string | null;
  createdAt: string;
}

export interface PlotRepository {
  insert(plot: PlotRecord): Promise<void>;
  findById(id: string): Promise<PlotRecord | null>;
  findByGln(gln: string): Promise<PlotRecord | null>;
  /** Newest first, among plots owned by `orgIds`. */
  list(orgIds: string[], page: PageRequest): Promise<Page<PlotRecord>>;
}
