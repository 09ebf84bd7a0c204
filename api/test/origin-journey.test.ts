import { expect } from 'chai';
import { foldStages, journeyOrder, photosByTarget, stagesOf, type JourneyEvent } from '../../web/origin-page/journey.js';

/** A signed event as the resolver decodes it: hash, eventID, times, ft:prev and step type. */
function event(hash: string, stepType: string, eventTime: string, prev: string[] = [], extra: Record<string, unknown> = {}): JourneyEvent {
  return { hash, body: { eventID: `ni:///sha-256;${hash}`, eventTime, recordTime: '2026-12-07T10:00:00.000+07:00', 'ft:stepType': stepType, 'ft:prev': prev, ...extra } };
}
const ids = (events: JourneyEvent[]) => events.map((e) => e.hash);
const rendition = (sha: string) => ({ renditions: [{ width: 320, sha256: sha }], evidence: { takenAt: null } });

describe('the journey of a lot: order, photos and stages', () => {
  it('when two steps share a minute and the bundle lists the later one first, then the one it follows comes first', () => {
    const harvest = event('h', 'harvest', '2025-11-18T00:00:00+07:00');
    const drying = event('d', 'drying', '2025-11-19T07:30:00+07:00', ['h']);
    const shipping = event('s', 'shipping', '2025-11-19T07:30:00+07:00', ['d']);
    // A bundle is walked from the lot's head: the shipping is listed before the drying it follows.
    expect(ids(journeyOrder([shipping, drying, harvest]))).to.deep.equal(['h', 'd', 's']);
  });

  it('when the cause is linked through an event of another minute (a photo added later), then the same-minute steps are still in causal order', () => {
    const drying = event('d', 'drying', '2025-11-19T07:30:00+07:00');
    const media = event('m', 'media', '2026-12-07T09:00:00+07:00', ['d']);
    const shipping = event('s', 'shipping', '2025-11-19T07:30:40+07:00', ['m'], { recordTime: '2026-12-07T09:00:01.000+07:00' });
    // The shipping says 07:30:40 and the drying 07:30:00, but were they the other way round in the record, cause still wins.
    const earlierStamp = event('s2', 'shipping', '2025-11-19T07:30:00+07:00', ['m']);
    const laterDrying = event('d2', 'drying', '2025-11-19T07:30:59+07:00');
    const media2 = event('m2', 'media', '2026-12-07T09:00:00+07:00', ['d2']);
    earlierStamp.body['ft:prev'] = ['m2'];
    expect(ids(journeyOrder([shipping, media, drying]))).to.deep.equal(['d', 's', 'm']);
    expect(ids(journeyOrder([earlierStamp, media2, laterDrying]))).to.deep.equal(['d2', 's2', 'm2']);
  });

  it('when unrelated events share a minute, then they keep time order, then the order they were recorded in', () => {
    const a = event('a', 'hulling', '2025-12-06T09:00:00+07:00', [], { recordTime: '2026-12-07T10:00:02.000+07:00' });
    const b = event('b', 'hulling', '2025-12-06T09:00:00+07:00', [], { recordTime: '2026-12-07T10:00:01.000+07:00' });
    const c = event('c', 'hulling', '2025-12-06T02:00:30Z');
    expect(ids(journeyOrder([a, b, c]))).to.deep.equal(['b', 'a', 'c']);
  });

  it('when events are minutes apart, then time order holds even against the graph (a plot registered today feeds last year’s harvest)', () => {
    const registration = event('r', 'plot_registration', '2026-12-07T10:00:00+07:00');
    const harvest = event('h', 'harvest', '2025-11-18T00:00:00+07:00', ['r']);
    expect(ids(journeyOrder([harvest, registration]))).to.deep.equal(['h', 'r']);
  });

  it('when photos are attached to a step, to the lot and to a plot, then each goes under what it shows: the lot’s harvest photo under the harvest, not under the last step', () => {
    const harvest = event('h', 'harvest', '2025-11-18T00:00:00+07:00');
    const harvestPhoto = event('m1', 'media', '2026-12-07T09:00:00+07:00', ['h'], { 'ft:mediaDetails': [rendition('a'.repeat(64))], quantityList: [{ epcClass: 'urn:lot' }] });
    const drying = event('d', 'drying', '2025-11-19T07:30:00+07:00', ['m1']);
    const dryingPhoto = event('m2', 'media', '2026-12-07T09:01:00+07:00', ['d'], { 'ft:attachesTo': 'ni:///sha-256;d', 'ft:mediaDetails': [rendition('b'.repeat(64))] });
    const laterLotPhoto = event('m3', 'media', '2026-12-07T09:02:00+07:00', ['m2'], { 'ft:mediaDetails': [rendition('c'.repeat(64))] });
    const plotPhoto = event('m4', 'media', '2026-12-07T09:03:00+07:00', [], { epcList: ['urn:farm-trace:plot:p1'], 'ft:mediaDetails': [rendition('e'.repeat(64))] });
    const photos = photosByTarget([laterLotPhoto, dryingPhoto, drying, harvestPhoto, harvest, plotPhoto]);
    const shas = (target: string) => (photos.get(target) ?? []).map((p) => p.renditions[0]!.sha256[0]);
    expect(shas('ni:///sha-256;h')).to.deep.equal(['a']);
    // A photo of the lot added after the drying (through the drying's own photo event) shows the lot as dried.
    expect(shas('ni:///sha-256;d')).to.deep.equal(['b', 'c']);
    expect(shas('urn:farm-trace:plot:p1')).to.deep.equal(['e']);
    expect(photos.has('')).to.equal(false);
  });

  it('when steps are folded into stages, then harvests are harvested, moving to the mill is processing, packing and splitting are packed, the last shipment is shipped, and an inspection joins the step before it', () => {
    const types = ['harvest', 'drying', 'shipping', 'receiving', 'hulling', 'merge', 'roasting', 'packing', 'split', 'inspection', 'storage', 'shipping'];
    expect(stagesOf(types)).to.deep.equal(['harvested', 'processed', 'processed', 'processed', 'processed', 'processed', 'processed', 'packed', 'packed', 'packed', 'shipped', 'shipped']);
    expect(stagesOf(['inspection', 'harvest'])).to.deep.equal(['harvested', 'harvested']);
    expect(stagesOf(['shipping'])).to.deep.equal(['shipped']);
    expect(stagesOf(['commissioning'])).to.deep.equal(['processed']);
  });

  it('when stages are folded, then they come in the order grown, harvested, processed, packed, shipped, each with its steps in journey order, and empty stages are left out', () => {
    const steps = [{ stepType: 'harvest', n: 1 }, { stepType: 'drying', n: 2 }, { stepType: 'harvest', n: 3 }, { stepType: 'hulling', n: 4 }, { stepType: 'shipping', n: 5 }];
    expect(foldStages(steps).map((g) => [g.stage, g.steps.map((s) => s.n)])).to.deep.equal([
      ['harvested', [1, 3]],
      ['processed', [2, 4]],
      ['shipped', [5]],
    ]);
  });
});
