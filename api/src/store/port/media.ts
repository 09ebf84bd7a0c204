/** Photos and documents attached to plots, lots, steps and products: record and repository. */

export type MediaTargetKind = 'plot' | 'batch' | 'step' | 'product';

export interface MediaRendition {
  width: number;
  /** SHA-256 of the WebP bytes; also the public file name. */
  sha256: string;
}

export interface MediaEvidence {
  /** Capture time from the photo's EXIF, ISO 8601 with offset. */
  takenAt: string | null;
  gps: { lat: number; lon: number } | null;
}

export interface MediaRecord {
  id: string;
  orgId: string;
  targetKind: MediaTargetKind;
  /** The plot, lot or product the file belongs to (for a step: its lot). */
  targetId: string;
  /** eventID of the step or plot registration the file documents, if any. */
  attachesTo: string | null;
  /** SHA-256 of the uploaded bytes, as signed in the media event. */
  sha256: string;
  mediaType: string;
  bytes: number;
  width: number | null;
  height: number | null;
  renditions: MediaRendition[];
  evidence: MediaEvidence;
  /** The signed event that binds the file to the record (null for product catalog photos). */
  eventId: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface MediaRepository {
  insert(media: MediaRecord): Promise<void>;
  findById(id: string): Promise<MediaRecord | null>;
  /** Files of a plot, lot or product, oldest first. */
  listFor(targetId: string): Promise<MediaRecord[]>;
}
