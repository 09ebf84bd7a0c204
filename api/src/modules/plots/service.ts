import { requireRole, type Actor } from '../../core/auth.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { newId, nowIso } from '../../core/ids.js';
import { plotRegisteredEvent, toOffsetTime } from '../../domain/event-model.js';
import { EUDR_POINT_MAX_HA, checkPlotGeometry } from '../../domain/plot-geometry.js';
import type { EventRecorder } from '../../provenance/event-recorder.js';
import type { Page, PageRequest, PlotRecord, Store } from '../../store/port.js';
import type { PlotCreate } from './schema.js';

export type PlotView = Omit<PlotRecord, 'createdBy' | 'certifications'> & {
  certifications: Array<PlotRecord['certifications'][number] & { expired: boolean }>;
};

/** Certificates carry their validity; the view flags the expired ones (by the date in Vietnam). */
export function plotView(plot: PlotRecord, today = toOffsetTime(nowIso()).slice(0, 10)): PlotView {
  const { createdBy: _c, ...rest } = plot;
  return { ...rest, certifications: plot.certifications.map((c) => ({ ...c, expired: c.validTo < today })) };
}

/** Farm plots: registered once with EUDR-valid geometry, recorded as a signed registration event. */
export class PlotService {
  constructor(
    private readonly store: Store,
    private readonly recorder: EventRecorder,
  ) {}

  async create(actor: Actor, input: PlotCreate): Promise<PlotRecord> {
    requireRole(actor, ['farmer', 'operator', 'admin'], 'register plots');
    const ownerId = input.farmerId ?? actor.orgId;
    if (!actor.scopeOrgIds.includes(ownerId)) {
      throw ValidationError.field('farmerId', 'not-your-organization', 'not your organization or one of its member households');
    }
    const owner = await this.store.organizations.findById(ownerId);
    if (!owner) throw ValidationError.field('farmerId', 'no-such-organization', 'no such organization');
    if (input.farmerId && owner.type !== 'farm_household') throw ValidationError.field('farmerId', 'must-be-farm-household', 'must name a farm household');
    const recordedBy = owner.id === actor.orgId ? owner : await this.store.organizations.findById(actor.orgId);
    if (!recordedBy) throw new NotFoundError('Organization');

    const check = checkPlotGeometry(input.geometry);
    if (!check.ok) throw new ValidationError(check.errors);
    if (check.geometry.type === 'Point') {
      if (input.declaredAreaHa === undefined) throw ValidationError.field('declaredAreaHa', 'point-plot-needs-area', 'a point plot needs its declared area in hectares');
      if (input.declaredAreaHa > EUDR_POINT_MAX_HA) {
        throw ValidationError.field('geometry', 'point-plot-too-large', `a plot over ${EUDR_POINT_MAX_HA} ha must be a polygon, not a point (EUDR)`, { maximumHa: EUDR_POINT_MAX_HA });
      }
    }

    // One GLN names one location: /414/{gln} resolves organizations first, so a plot sharing an
    // organization's GLN could never be reached. Plot-to-plot duplicates are the store's UNIQUE rule.
    if (input.gln && (await this.store.organizations.findByGln(input.gln))) {
      throw new ConflictError('an organization already has this GLN', 'gln');
    }

    const id = newId();
    const now = nowIso();
    const areaHa = check.geometry.type === 'Polygon' ? check.areaHa : (input.declaredAreaHa ?? null);
    const certifications = input.certifications.map((c) => ({ ...c }));
    const event = plotRegisteredEvent(
      { eventTime: toOffsetTime(now), recordedBy, userId: actor.userId, prev: [] },
      {
        plotId: id,
        name: input.name,
        crops: input.crops,
        geometry: check.geometry,
        areaHa,
        declaredAreaHa: input.declaredAreaHa ?? null,
        farmer: owner,
        certifications,
        gln: input.gln ?? null,
      },
    );
    const plot: Omit<PlotRecord, 'eventId'> = {
      id,
      orgId: owner.id,
      name: input.name,
      crops: input.crops,
      geometry: check.geometry,
      areaHa,
      declaredAreaHa: input.declaredAreaHa ?? null,
      certifications,
      gln: input.gln ?? null,
      createdBy: actor.userId ?? actor.apiKeyId,
      createdAt: now,
    };
    return this.store.transaction(async (tx) => {
      const recorded = await this.recorder.record(tx, { event, signer: recordedBy, links: [{ targetId: id, role: 'plot' }] });
      const stored: PlotRecord = { ...plot, eventId: recorded.id };
      await tx.plots.insert(stored);
      return stored;
    });
  }

  async get(actor: Actor, id: string): Promise<PlotRecord> {
    const plot = await this.store.plots.findById(id);
    if (!plot || !actor.scopeOrgIds.includes(plot.orgId)) throw new NotFoundError('Plot');
    return plot;
  }

  list(actor: Actor, page: PageRequest): Promise<Page<PlotRecord>> {
    return this.store.plots.list(actor.scopeOrgIds, page);
  }
}
