import type { Actor } from '../../core/auth.js';
import { nowIso } from '../../core/ids.js';
import { lotUri } from '../../domain/event-model.js';
import { lotEpcisDocument, type EpcisDocument } from '../../epcis/epcis-document.js';
import type { ProvenanceService } from '../provenance/service.js';

/** GS1 EPCIS 2.0 views of the signed record. */
export class EpcisService {
  constructor(private readonly provenance: ProvenanceService) {}

  /**
   * The lot's whole history (the provenance bundle's events) as an EPCISDocument. Published lots
   * are public; private ones need an actor in their chain of custody (else 404).
   */
  async lotDocument(actor: Actor | null, batchId: string): Promise<EpcisDocument> {
    const { batch, head, records } = await this.provenance.history(actor, batchId);
    return lotEpcisDocument(records, { uri: lotUri(batch), heads: [head.hash] }, nowIso());
  }
}
