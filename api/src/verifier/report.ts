import type { ProvenanceBundle } from './bundle-format.js';

/** What a verification answers: the bundle's verdict, and each event's with the checks it failed. */
export type CheckName = 'format' | 'hash' | 'canonical' | 'eventID' | 'key' | 'signature' | 'prev' | 'ancestry' | 'lot' | 'media' | 'log';

export interface EventReport {
  hash: string;
  valid: boolean;
  eventID: string | null;
  type: string | null;
  stepType: string | null;
  eventTime: string | null;
  recordedBy: string | null;
  kid: string | null;
  failures: Array<{ check: CheckName; message: string }>;
}

export interface VerificationReport {
  valid: boolean;
  lot: ProvenanceBundle['lot'] | null;
  engine: 'webcrypto' | 'noble';
  /** How many photo renditions were fetched and matched against their signed hashes. */
  mediaChecked: number;
  /** Problems with the bundle as a whole (shape, heads, cycles, the log's checkpoint). */
  errors: string[];
  /** The log checkpoint every event was proven to be in, once its signature verified. */
  checkpoint: { origin: string; treeSize: number; rootHash: string } | null;
  events: EventReport[];
}
