import { requireRole, type Actor } from '../../core/auth.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.js';
import { newId, nowIso } from '../../core/ids.js';
import { allPages } from '../../core/pagination.js';
import { mediaEvent, toOffsetTime, type MediaAttachment } from '../../domain/event-model.js';
import type { BlobStore } from '../../media/blob-store.js';
import { processUpload, type MediaLimits, type ProcessedMedia } from '../../media/media-pipeline.js';
import type { EventRecorder } from '../../provenance/event-recorder.js';
import type { EventLink, MediaRecord, MediaTargetKind, Repositories, Store } from '../../store/port.js';
import type { BatchService } from '../batches/lifecycle-service.js';
import type { PlotService } from '../plots/service.js';

export type MediaTarget =
  | { kind: 'plot'; plotId: string }
  | { kind: 'batch'; batchId: string }
  | { kind: 'step'; batchId: string; stepId: string }
  | { kind: 'product'; productId: string };

interface ResolvedTarget {
  kind: MediaTargetKind;
  targetId: string;
  attachesTo: string | null;
  /** How the files enter the signed history; null for product photos (catalog images). */
  signed: {
    subject: MediaAttachment['subject'];
    link: EventLink;
    /** Events the media event follows. */
    prev: (tx: Repositories) => Promise<string[]>;
  } | null;
}

/**
 * Photos and documents: checked and rendered before anything is stored, kept content-addressed,
 * and bound into the record by a signed media event whose hashes make a swapped file detectable.
 */
export class MediaService {
  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
    private readonly recorder: EventRecorder,
    private readonly plots: PlotService,
    private readonly batches: BatchService,
    readonly limits: MediaLimits,
  ) {}

  async attach(actor: Actor, target: MediaTarget, files: Array<{ bytes: Uint8Array }>): Promise<MediaRecord[]> {
    requireRole(actor, ['farmer', 'operator', 'admin', 'inspector'], 'attach photos or documents');
    if (files.length === 0) throw ValidationError.field('file', 'file-required', 'send at least one file in the field "file"');
    const resolved = await this.resolve(actor, target);
    const processed: ProcessedMedia[] = [];
    for (const [index, file] of files.entries()) processed.push(await processUpload(file.bytes, `file[${index}]`, this.limits));

    const signed = resolved.signed;
    // Blobs first, so a record never names bytes that are not there. They are never removed again,
    // not even when the transaction below fails: a concurrent upload of the same bytes may have
    // found them already stored and be about to commit a record that names them. A blob no record
    // names is harmless (content-addressed, and its name is the hash of bytes nobody else has).
    for (const p of processed) {
      await this.blobs.put('originals', p.sha256, p.bytes);
      for (const r of p.renditions) await this.blobs.put('renditions', r.sha256, r.bytes);
    }
    const signer = signed ? await this.store.organizations.findById(actor.orgId) : null;
    if (signed && !signer) throw new NotFoundError('Organization');
    return await this.store.transaction(async (tx) => {
      const recorded =
        signed && signer
          ? await this.recorder.record(tx, {
              event: mediaEvent(
                { eventTime: toOffsetTime(nowIso()), recordedBy: signer, userId: actor.userId, prev: await signed.prev(tx) },
                {
                  subject: signed.subject,
                  attachesTo: resolved.attachesTo,
                  files: processed.map((p) => ({ sha256: p.sha256, mediaType: p.mediaType, renditions: p.renditions.map(({ width, sha256 }) => ({ width, sha256 })), evidence: p.evidence })),
                },
              ),
              signer,
              links: [signed.link],
            })
          : null;
      const createdAt = recorded?.createdAt ?? nowIso();
      const records = processed.map(
        (p): MediaRecord => ({
          id: newId(),
          orgId: actor.orgId,
          targetKind: resolved.kind,
          targetId: resolved.targetId,
          attachesTo: resolved.attachesTo,
          sha256: p.sha256,
          mediaType: p.mediaType,
          bytes: p.bytes.length,
          width: p.width,
          height: p.height,
          renditions: p.renditions.map(({ width, sha256 }) => ({ width, sha256 })),
          evidence: p.evidence,
          eventId: recorded?.id ?? null,
          createdBy: actor.userId ?? actor.apiKeyId,
          createdAt,
        }),
      );
      for (const record of records) await tx.media.insert(record);
      return records;
    });
  }

  /** Files of a plot or lot the actor may read. */
  async list(actor: Actor, target: { kind: 'plot'; plotId: string } | { kind: 'batch'; batchId: string }): Promise<MediaRecord[]> {
    const id = target.kind === 'plot' ? (await this.plots.get(actor, target.plotId)).id : (await this.batches.get(actor, target.batchId)).id;
    return this.store.media.listFor(id);
  }

  /** The original upload: private to the organizations whose records the file belongs to. */
  async original(actor: Actor, mediaId: string): Promise<{ record: MediaRecord; bytes: Buffer }> {
    const record = await this.store.media.findById(mediaId);
    if (!record || !(await this.mayReadOriginal(actor, record))) throw new NotFoundError('Media');
    const bytes = await this.blobs.read('originals', record.sha256);
    if (!bytes) throw new NotFoundError('Media file');
    return { record, bytes };
  }

  async get(actor: Actor, mediaId: string): Promise<MediaRecord> {
    const record = await this.store.media.findById(mediaId);
    if (!record || !(await this.mayReadOriginal(actor, record))) throw new NotFoundError('Media');
    return record;
  }

  /** A public rendition by its hash, or null. */
  rendition(sha256: string): Promise<Buffer | null> {
    return this.blobs.read('renditions', sha256);
  }

  /** Originals stay with the organization that uploaded them and the owner of the plot or lot. */
  private async mayReadOriginal(actor: Actor, record: MediaRecord): Promise<boolean> {
    if (actor.scopeOrgIds.includes(record.orgId)) return true;
    const owner =
      record.targetKind === 'plot'
        ? (await this.store.plots.findById(record.targetId))?.orgId
        : record.targetKind === 'product'
          ? (await this.store.products.findById(record.targetId))?.orgId
          : (await this.store.batches.findById(record.targetId))?.orgId;
    return owner !== undefined && actor.scopeOrgIds.includes(owner);
  }

  private async resolve(actor: Actor, target: MediaTarget): Promise<ResolvedTarget> {
    if (target.kind === 'product') {
      const product = await this.store.products.findById(target.productId);
      if (!product || !actor.scopeOrgIds.includes(product.orgId)) throw new NotFoundError('Product');
      requireRole(actor, ['operator', 'admin'], 'add product photos');
      return { kind: 'product', targetId: product.id, attachesTo: null, signed: null };
    }
    if (target.kind === 'plot') {
      const plot = await this.plots.get(actor, target.plotId);
      return {
        kind: 'plot',
        targetId: plot.id,
        attachesTo: plot.eventId,
        signed: {
          subject: { kind: 'plot', plotId: plot.id },
          link: { targetId: plot.id, role: 'plot' },
          // The plot's own history (registration and earlier files), not the harvests linked to it.
          prev: async (tx) => {
            let last: string | null = null;
            for await (const e of allPages((page) => tx.events.listFor(plot.id, page))) if (e.stepType !== 'harvest') last = e.hash;
            return last ? [last] : [];
          },
        },
      };
    }
    const batch = target.kind === 'step' ? await this.batches.get(actor, target.batchId) : await this.batches.requireCustody(actor, target.batchId);
    let attachesTo: string | null = null;
    if (target.kind === 'step') {
      const step = await this.batches.getStep(actor, target.batchId, target.stepId);
      if (!actor.scopeOrgIds.includes(step.event.orgId)) throw new ForbiddenError('not-step-recorder', 'Only the organization that recorded a step attaches files to it.');
      attachesTo = step.event.id;
    }
    return {
      kind: target.kind,
      targetId: batch.id,
      attachesTo,
      signed: {
        subject: { kind: 'lot', lot: batch },
        link: { targetId: batch.id, role: 'subject' },
        prev: async (tx) => {
          const head = await tx.events.headOf(batch.id);
          return head ? [head.hash] : [];
        },
      },
    };
  }
}
