import type { Logger } from 'pino';
import { requireRole, type Actor } from '../../core/auth.js';
import { AppError, NotFoundError, ValidationError, fromStorageError, problemType, type FieldError } from '../../core/errors.js';
import { newId, nowIso } from '../../core/ids.js';
import { eventIdOf, orgUri, type CaptureMark, type EpcisEvent } from '../../domain/event-model.js';
import { readCapturedDocument, type CapturedEvent } from '../../epcis/captured-document.js';
import { commissioningLotNumber, lotKeyOf } from '../../domain/lot-key.js';
import { validateEpcisDocument } from '../../epcis/epcis-schema.js';
import type { EventRecorder } from '../../provenance/event-recorder.js';
import type { BatchRecord, CaptureJobRecord, EventLink, EventLinkRole, OrganizationRecord, Page, PageRequest, Repositories, Store } from '../../store/port.js';

export interface CaptureLimits {
  /** Events per document. */
  maxEvents: number;
  /** Bytes per document (the route's body limit). */
  maxBytes: number;
}

/** Jobs accepted but not finished, at most, in all and per organization; past that a capture is refused with 503 and Retry-After. */
const MAX_OPEN_JOBS = 8;
const MAX_OPEN_JOBS_PER_ORG = 2;

/** Thrown when a document exceeds the capture limit; the route gives it the binding's exception type. */
export class CaptureLimitError extends AppError {
  constructor(limit: number, given: number) {
    super({
      status: 413,
      type: problemType('capture-limit-exceeded'),
      code: 'capture-limit-exceeded',
      params: { maximum: limit, given },
      title: 'Too many events',
      detail: `A capture document may hold at most ${limit} events; this one holds ${given}. Split it.`,
      errors: [{ path: '/epcisBody/eventList', code: 'epcis-too-many-events', message: `more than ${limit} events`, params: { maximum: limit } }],
      headers: { 'GS1-EPCIS-Capture-Limit': String(limit) },
    });
  }
}

/**
 * EPCIS 2.0 capture (REST binding): a document is checked against the standard's schema before it
 * is accepted (a failing document gets 400 naming every failing path, and nothing is written),
 * then captured by a job, all or nothing ("rollback"): every event is signed by the capturing
 * organization, joined to the lots it names, appended and logged in one transaction, which also
 * marks the job done. Jobs run one at a time, in the order they were accepted.
 */
export class CaptureService {
  private tail: Promise<void> = Promise.resolve();
  /** Open (waiting or running) jobs by organization. */
  private readonly open = new Map<string, number>();
  private closing = false;

  constructor(
    private readonly store: Store,
    private readonly recorder: EventRecorder,
    readonly limits: CaptureLimits,
    private readonly logger: Logger,
  ) {}

  async submit(actor: Actor, document: unknown): Promise<CaptureJobRecord> {
    requireRole(actor, ['operator', 'admin'], 'capture EPCIS events');
    const list = (document as { epcisBody?: { eventList?: unknown } }).epcisBody?.eventList;
    if (Array.isArray(list) && list.length > this.limits.maxEvents) throw new CaptureLimitError(this.limits.maxEvents, list.length);
    const checked = validateEpcisDocument(document);
    if (!checked.valid) throw new ValidationError(checked.errors, `The document does not follow the EPCIS 2.0 schema: ${summary(checked.errors)}`);
    const doc = document as Record<string, unknown>;
    if (doc.type !== 'EPCISDocument') throw ValidationError.field('/type', 'epcis-document-type', 'capture takes an EPCISDocument');
    const events = readCapturedDocument(doc);
    this.claimSlot(actor.orgId);
    const job: CaptureJobRecord = {
      id: newId(),
      orgId: actor.orgId,
      submittedBy: actor.userId ?? actor.apiKeyId ?? 'unknown',
      createdAt: nowIso(),
      finishedAt: null,
      running: true,
      success: false,
      eventCount: events.length,
      eventIds: [],
      errors: [],
    };
    try {
      await this.store.captureJobs.insert(job);
    } catch (error) {
      this.releaseSlot(actor.orgId);
      throw error;
    }
    this.tail = this.tail.then(() => this.run(job.id, actor, events)).finally(() => this.releaseSlot(actor.orgId));
    return job;
  }

  /** Takes a slot for a new job synchronously (before any await), so concurrent submits cannot overshoot. */
  private claimSlot(orgId: string): void {
    const total = [...this.open.values()].reduce((a, b) => a + b, 0);
    const mine = this.open.get(orgId) ?? 0;
    if (this.closing || total >= MAX_OPEN_JOBS || mine >= MAX_OPEN_JOBS_PER_ORG) {
      throw new AppError({
        status: 503,
        type: problemType('capture-busy'),
        code: 'capture-busy',
        title: 'Capture is busy',
        detail: this.closing
          ? 'The service is stopping; send the document again in a moment.'
          : `At most ${MAX_OPEN_JOBS_PER_ORG} capture jobs per organization and ${MAX_OPEN_JOBS} in all wait or run at once; retry shortly.`,
        headers: { 'Retry-After': '10' },
      });
    }
    this.open.set(orgId, mine + 1);
  }

  private releaseSlot(orgId: string): void {
    const left = (this.open.get(orgId) ?? 1) - 1;
    if (left > 0) this.open.set(orgId, left);
    else this.open.delete(orgId);
  }

  /** A job of the actor's organizations; 404 otherwise. */
  async job(actor: Actor, id: string): Promise<CaptureJobRecord> {
    const job = await this.store.captureJobs.findById(id);
    if (!job || !actor.scopeOrgIds.includes(job.orgId)) throw new NotFoundError('Capture job');
    return job;
  }

  jobs(actor: Actor, page: PageRequest): Promise<Page<CaptureJobRecord>> {
    return this.store.captureJobs.list(actor.scopeOrgIds, page);
  }

  /**
   * At start: jobs a stopped process left running wrote nothing (their events and their "done"
   * commit together), so they are marked failed, to be sent again.
   */
  async failInterrupted(): Promise<number> {
    const running = await this.store.captureJobs.listRunning();
    for (const id of running) {
      await this.store.captureJobs.finish(id, {
        finishedAt: nowIso(),
        success: false,
        eventIds: [],
        errors: [{ type: problemType('capture-interrupted'), code: 'capture-interrupted', title: 'Capture interrupted', status: 503, detail: 'The service stopped before this job finished; nothing of it was written. Send the document again.' }],
      });
    }
    return running.length;
  }

  /** Refuses new jobs and waits for accepted ones to finish (before the store closes). */
  async close(): Promise<void> {
    this.closing = true;
    await this.tail;
  }

  private async run(jobId: string, actor: Actor, events: CapturedEvent[]): Promise<void> {
    try {
      await this.store.transaction(async (tx) => {
        const org = await tx.organizations.findById(actor.orgId);
        if (!org) throw new NotFoundError('Organization');
        const errors: FieldError[] = [];
        const ids: string[] = [];
        const taken = new Set<string>();
        for (const captured of events) {
          const id = await this.capture(tx, actor, org, jobId, captured, errors, taken);
          if (id) ids.push(id);
        }
        if (errors.length) throw new ValidationError(errors, `Nothing was captured: ${summary(errors)}`);
        // Only a job still marked running may commit its events: one marked failed meanwhile (an
        // interrupted job's cleanup) has told its client to send the document again.
        if (!(await tx.captureJobs.finish(jobId, { finishedAt: nowIso(), success: true, eventIds: ids, errors: [] }))) {
          throw new Error(`capture job ${jobId} was no longer running`);
        }
      });
    } catch (thrown) {
      const error = fromStorageError(thrown);
      if (!(error instanceof AppError)) this.logger.error({ err: error, captureID: jobId }, 'capture job failed');
      const problem =
        error instanceof AppError
          ? error.toProblem()
          : { type: problemType('internal'), code: 'internal', title: 'Internal error', status: 500, detail: 'The capture failed inside the service; nothing was written.' };
      const outcome = { finishedAt: nowIso(), success: false, eventIds: [], errors: [problem as CaptureJobRecord['errors'][number]] };
      // Tried twice; a job that still reads running is marked failed at the next start.
      await this.store.captureJobs
        .finish(jobId, outcome)
        .catch(() => this.store.captureJobs.finish(jobId, outcome))
        .catch((finishError: unknown) => this.logger.error({ err: finishError, captureID: jobId }, 'recording a failed capture job failed'));
    }
  }

  /**
   * Signs and stores one captured event, or adds to `errors` why it cannot be (then nothing is
   * stored: the job fails whole). Returns the stored eventID.
   */
  private async capture(
    tx: Repositories,
    actor: Actor,
    org: OrganizationRecord,
    captureID: string,
    captured: CapturedEvent,
    errors: FieldError[],
    taken: Set<string>,
  ): Promise<string | null> {
    const base = `/epcisBody/eventList/${captured.index}`;
    const { links, serials } = await this.joinLots(tx, actor, captured, errors);
    const prev = new Set<string>();
    for (const link of links) {
      const head = await tx.events.headOf(link.targetId);
      if (head) prev.add(head.hash);
    }
    const mark: CaptureMark = { captureID, eventIdGiven: captured.givenEventId !== null };
    const event: EpcisEvent = {
      ...captured.event,
      'ft:recordedBy': orgUri(org),
      ...(actor.userId ? { 'ft:recordedByUser': actor.userId } : {}),
      'ft:prev': [...prev].sort(),
      'ft:captured': mark,
    };
    let eventId: string;
    try {
      eventId = captured.givenEventId ?? eventIdOf(event);
    } catch (error) {
      errors.push({ path: base, code: 'epcis-event-hash', message: `its CBV 2.0 event hash ID cannot be computed: ${(error as Error).message}` });
      return null;
    }
    const idPath = captured.givenEventId !== null ? `${base}/eventID` : base;
    if (taken.has(eventId)) {
      errors.push({ path: idPath, code: 'epcis-duplicate-event', message: `has the same content, hence the same event hash ID, as an earlier event of this document (${eventId})` });
    } else if (await tx.events.findById(eventId)) {
      errors.push({ path: idPath, code: 'duplicate', message: `an event with the eventID ${eventId} is already recorded` });
    }
    taken.add(eventId);
    if (errors.length) return null;
    const stored = await this.recorder.record(tx, { event, signer: org, links, eventId });
    for (const { batchId, gtin, serials: items } of serials) await tx.batches.addSerials(batchId, gtin, items);
    return stored.id;
  }

  /**
   * The lots a captured event names, with the role each plays. A lot the capturing organization can
   * see must be held by it (its custodian, not in transit), or the event is refused; identifiers of
   * lots it cannot see, and of things that are not our lots, are kept in the event but join nothing.
   * An ObjectEvent ADD with an ILMD lot number commissions its GTIN + serial items into that lot.
   */
  private async joinLots(
    tx: Repositories,
    actor: Actor,
    captured: CapturedEvent,
    errors: FieldError[],
  ): Promise<{ links: EventLink[]; serials: Array<{ batchId: string; gtin: string; serials: string[] }> }> {
    const commissionedLot = commissioningLotNumber(captured.event);
    const roles = new Map<string, Set<EventLinkRole>>();
    const serials = new Map<string, { batchId: string; gtin: string; serials: string[] }>();
    for (const named of captured.identifiers) {
      const key = lotKeyOf(named.uri);
      if (!key) continue;
      let lot: BatchRecord | null;
      if (key.kind === 'code') lot = await tx.batches.findByCode(key.code);
      else if (key.kind === 'gtin-lot') lot = await tx.batches.findByGtinLot(key.gtin, key.lotNumber);
      else lot = await tx.batches.findBySerial(key.gtin, key.serial);
      if (key.kind === 'gtin-serial' && commissionedLot !== null && named.role === 'subject') {
        const target = await tx.batches.findByGtinLot(key.gtin, commissionedLot);
        if (lot && target && lot.id !== target.id) {
          // Named without the other lot's number when the capturer cannot see that lot.
          errors.push({ path: named.path, code: 'epcis-already-commissioned', message: canSee(actor, lot) ? `this item was already commissioned into lot ${lot.lotNumber}` : 'this item was already commissioned into another lot' });
          continue;
        }
        if (!lot && target && canSee(actor, target)) {
          lot = target;
          const entry = serials.get(target.id) ?? { batchId: target.id, gtin: key.gtin, serials: [] };
          entry.serials.push(key.serial);
          serials.set(target.id, entry);
        }
      }
      if (!lot || !canSee(actor, lot)) continue;
      if (!holds(actor, lot)) {
        errors.push({ path: named.path, ...heldProblem(lot) });
        continue;
      }
      roles.set(lot.id, (roles.get(lot.id) ?? new Set()).add(named.role));
    }
    const links = [...roles].map(([targetId, r]): EventLink => ({ targetId, role: linkRole(r) }));
    return { links, serials: [...serials.values()] };
  }
}

/** A lot both consumed and produced by the event (a step on it) is its subject, so the event becomes its head. */
function linkRole(roles: Set<EventLinkRole>): EventLinkRole {
  if (roles.has('subject') || (roles.has('input') && roles.has('output'))) return 'subject';
  return roles.has('output') ? 'output' : 'input';
}

function canSee(actor: Actor, lot: BatchRecord): boolean {
  return lot.published || lot.accessOrgIds.some((id) => actor.scopeOrgIds.includes(id));
}

/** Captured events are signed by the capturing organization itself, so it must be the lot's custodian (not a member household's cooperative). */
function holds(actor: Actor, lot: BatchRecord): boolean {
  return lot.custodianOrgId === actor.orgId && lot.pendingReceiverOrgId === null;
}

function heldProblem(lot: BatchRecord): Pick<FieldError, 'code' | 'message' | 'params'> {
  return lot.pendingReceiverOrgId
    ? { code: 'lot-in-transit', message: `names lot ${lot.lotNumber}, which is in transit; it joins no events until it is received`, params: { lotNumber: lot.lotNumber } }
    : { code: 'not-lot-custodian', message: `names lot ${lot.lotNumber}, which your organization does not hold; only its custodian may add events to it`, params: { lotNumber: lot.lotNumber } };
}

function summary(errors: FieldError[]): string {
  const shown = errors.slice(0, 3).map((e) => `${e.path}: ${e.message}`);
  return errors.length > 3 ? `${shown.join('; ')}; and ${errors.length - 3} more` : shown.join('; ');
}
