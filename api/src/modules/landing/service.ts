import { lotDigitalLink } from '../../domain/gs1/digital-link.js';
import type { Store } from '../../store/port.js';
import type { LandingLot } from './landing-page-renderer.js';

/** A lot the demo seed publishes, by the identity printed on its pack. */
export interface DemoLotKey {
  gtin: string;
  lotNumber: string;
}

/**
 * What the landing page needs from the store: the demo's published lots. `demoLots` is empty when
 * the demo seed is off; lots not in the store (a database filled before the demo, or by hand) or
 * no longer published are left out.
 */
export class LandingService {
  constructor(
    private readonly store: Store,
    private readonly demoLots: readonly DemoLotKey[],
  ) {}

  async demo(): Promise<LandingLot[]> {
    const lots: LandingLot[] = [];
    for (const key of this.demoLots) {
      const batch = await this.store.batches.findByGtinLot(key.gtin, key.lotNumber);
      if (!batch?.published) continue;
      lots.push({ product: batch.product, lotNumber: batch.lotNumber, path: lotDigitalLink('', batch), qrPath: `/api/v1/batches/${batch.id}/qr.svg` });
    }
    return lots;
  }
}
