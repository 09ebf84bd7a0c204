import { expect } from 'chai';
import request from 'supertest';
import { EPCIS_CONTEXT_URL } from '../src/epcis/epcis-document.js';
import { validateEpcisDocument } from '../src/epcis/epcis-schema.js';
import { startHarness, type Harness } from './support/harness.js';

const PROBLEM = /application\/problem\+json/;
const QUERY_PARAMETER_EXCEPTION = 'epcisException:QueryParameterException';
const NO_SUCH_RESOURCE = 'epcisException:NoSuchResourceException';
/** The demo's blended green-coffee lot (a GTIN lot) and the roaster's roasted lot made from it. */
const BLEND = 'https://id.gs1.org/01/08936123450014/10/KN-2512-G1';
const ROASTER_GLN_LOCATION = 'https://id.gs1.org/414/8936123400217';

type EpcisEvent = Record<string, unknown> & { type: string; eventID: string; eventTime: string; bizStep?: string; 'ft:eventHash': string };

interface QueryDocument {
  '@context': unknown[];
  type: string;
  schemaVersion: string;
  creationDate: string;
  epcisBody: { queryResults: { queryName: string; resultsBody: { eventList: EpcisEvent[] } } };
}

/** Every identifier URI an event names (epcList, quantity lists' epcClass, input/output lists). */
function epcsOf(e: EpcisEvent): string[] {
  const lists = ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'].flatMap((k) => (e[k] as string[] | undefined) ?? []);
  const classes = ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'].flatMap((k) =>
    ((e[k] as Array<{ epcClass: string }> | undefined) ?? []).map((q) => q.epcClass),
  );
  return [...lists, ...classes];
}

describe('EPCIS 2.0 query interface (REST binding)', () => {
  let h: Harness;
  let coop: string;

  beforeEach(async () => {
    h = await startHarness({ seed: true });
    coop = await h.login('coop@demo.test');
  });
  afterEach(() => h.close());

  const get = (url: string, auth?: string) => {
    const req = request(h.app).get(url);
    return auth ? req.set('Authorization', auth) : req;
  };

  const query = async (params: string, auth = coop): Promise<{ events: EpcisEvent[]; doc: QueryDocument; next: string | null }> => {
    const res = await get(`/epcis/events${params ? `?${params}` : ''}`, auth);
    expect(res.status, res.text).to.equal(200);
    expect(res.headers['gs1-epcis-version']).to.equal('2.0.0');
    expect(res.headers['gs1-cbv-version']).to.equal('2.0.0');
    const doc = JSON.parse(res.text) as QueryDocument;
    const link = res.headers.link as string | undefined;
    const next = link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? null : null;
    if (link) expect(next, link).to.not.equal(null);
    return { events: doc.epcisBody.queryResults.resultsBody.eventList, doc, next };
  };

  const all = async (auth = coop) => (await query('perPage=500', auth)).events;
  const idsOf = (events: EpcisEvent[]) => events.map((e) => e.eventID);

  const expectQueryParameterError = async (params: string, path: string) => {
    const res = await get(`/epcis/events?${params}`, coop);
    expect(res.status, `${params}: ${res.text}`).to.equal(400);
    expect(res.headers['content-type']).to.match(PROBLEM);
    expect(res.body.type, params).to.equal(QUERY_PARAMETER_EXCEPTION);
    expect(res.body.errors, params).to.be.an('array').that.is.not.empty;
    expect(JSON.stringify(res.body.errors), params).to.contain(path);
  };

  it('when a member queries without filters, then it gets an EPCISQueryDocument of its events that validates against the EPCIS 2.0 schema, with CBV 2.0 hash IDs', async () => {
    const { doc, events } = await query('perPage=500');
    expect(doc.type).to.equal('EPCISQueryDocument');
    expect(doc.schemaVersion).to.equal('2.0');
    expect(doc['@context'][0]).to.equal(EPCIS_CONTEXT_URL);
    expect(doc.epcisBody.queryResults.queryName).to.equal('SimpleEventQuery');
    expect(events.length).to.be.greaterThan(20);
    expect(new Set(idsOf(events)).size).to.equal(events.length);
    for (const e of events) expect(e.eventID).to.match(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    expect(validateEpcisDocument(doc)).to.deep.equal({ valid: true });
  });

  it('when eventType is given (once, repeated or comma-separated), then only events of those types come back', async () => {
    const everything = await all();
    const transformations = (await query('eventType=TransformationEvent&perPage=500')).events;
    expect(transformations.length).to.be.greaterThan(0);
    expect(idsOf(transformations)).to.deep.equal(idsOf(everything.filter((e) => e.type === 'TransformationEvent')));
    expect(idsOf((await query('eventType=ObjectEvent,TransformationEvent&perPage=500')).events)).to.deep.equal(idsOf(everything));
    expect(idsOf((await query('eventType=ObjectEvent&eventType=TransformationEvent&perPage=500')).events)).to.deep.equal(idsOf(everything));
    expect((await query('eventType=AggregationEvent')).events).to.deep.equal([]);
  });

  it('when GE_eventTime and LT_eventTime are given, then events in [GE, LT) come back, compared as instants whatever their offsets', async () => {
    const everything = await all();
    const [from, to] = ['2025-12-04T08:00:00+07:00', '2025-12-09T01:00:00Z'];
    const expected = everything.filter((e) => Date.parse(e.eventTime) >= Date.parse(from) && Date.parse(e.eventTime) < Date.parse(to));
    expect(expected.length).to.be.greaterThan(2);
    expect(expected.length).to.be.lessThan(everything.length);
    const got = (await query(`GE_eventTime=${encodeURIComponent(from)}&LT_eventTime=${encodeURIComponent(to)}&perPage=500`)).events;
    expect(idsOf(got)).to.deep.equal(idsOf(expected));
    // The shipping at exactly 08:00+07:00 (= 01:00Z) is included by GE and excluded by LT.
    expect(got.some((e) => e.eventTime === '2025-12-04T08:00:00+07:00')).to.equal(true);
    const before = (await query(`LT_eventTime=${encodeURIComponent('2025-12-04T01:00:00Z')}&perPage=500`)).events;
    expect(before.some((e) => e.eventTime === '2025-12-04T08:00:00+07:00')).to.equal(false);
  });

  it('when MATCH_anyEPC names a demo lot URI (GTIN or project URN), then exactly the events naming it anywhere come back; MATCH_epc only where it is the subject', async () => {
    const everything = await all();
    const any = (await query(`MATCH_anyEPC=${encodeURIComponent(BLEND)}&perPage=500`)).events;
    expect(idsOf(any)).to.deep.equal(idsOf(everything.filter((e) => epcsOf(e).includes(BLEND))));
    expect(any.some((e) => e.type === 'TransformationEvent' && !((e.inputQuantityList as Array<{ epcClass: string }>) ?? []).some((q) => q.epcClass === BLEND))).to.equal(true);
    const subject = (await query(`MATCH_epc=${encodeURIComponent(BLEND)}&perPage=500`)).events;
    expect(subject.map((e) => e.bizStep).sort()).to.deep.equal(['receiving', 'shipping']);

    const harvest = everything.find((e) => e.bizStep === 'creating_class_instance')!;
    const urn = (harvest.quantityList as Array<{ epcClass: string }>)[0]!.epcClass;
    expect(urn).to.match(/^urn:farm-trace:epcis:lot:/);
    const ofUrn = (await query(`MATCH_anyEPC=${encodeURIComponent(urn)}&perPage=500`)).events;
    expect(idsOf(ofUrn)).to.deep.equal(idsOf(everything.filter((e) => epcsOf(e).includes(urn))));
    expect(idsOf(ofUrn)).to.include(harvest.eventID);
    // Several values: any of them.
    const both = (await query(`MATCH_anyEPC=${encodeURIComponent(`${BLEND}|${urn}`)}&perPage=500`)).events;
    expect(idsOf(both)).to.deep.equal(idsOf(everything.filter((e) => epcsOf(e).includes(BLEND) || epcsOf(e).includes(urn))));
  });

  it('when EQ_bizStep is given as a bare CBV word, a GS1 Web URI or a URN, then the same shipping events come back', async () => {
    const everything = await all();
    const expected = idsOf(everything.filter((e) => e.bizStep === 'shipping'));
    expect(expected.length).to.equal(2);
    for (const spelling of ['shipping', 'https://ref.gs1.org/cbv/BizStep-shipping', 'urn:epcglobal:cbv:bizstep:shipping']) {
      expect(idsOf((await query(`EQ_bizStep=${encodeURIComponent(spelling)}&perPage=500`)).events), spelling).to.deep.equal(expected);
    }
    const shipOrReceive = (await query('EQ_bizStep=shipping,receiving&perPage=500')).events;
    expect(shipOrReceive.length).to.equal(4);
  });

  it('when EQ_bizLocation names a GLN location, then only events at that location come back', async () => {
    const everything = await all();
    const expected = everything.filter((e) => (e.bizLocation as { id?: string } | undefined)?.id === ROASTER_GLN_LOCATION);
    expect(expected.length).to.be.greaterThan(0);
    expect(idsOf((await query(`EQ_bizLocation=${encodeURIComponent(ROASTER_GLN_LOCATION)}&perPage=500`)).events)).to.deep.equal(idsOf(expected));
  });

  it('when results are paged with perPage and the Link rel="next" token, then every event comes exactly once and the last page has no Link', async () => {
    const everything = await all();
    const seen: string[] = [];
    let url: string | null = '/epcis/events?perPage=7&eventType=ObjectEvent,TransformationEvent';
    let pages = 0;
    while (url) {
      const res = await get(url, coop);
      expect(res.status, res.text).to.equal(200);
      const doc = JSON.parse(res.text) as QueryDocument;
      const events = doc.epcisBody.queryResults.resultsBody.eventList;
      expect(events.length).to.be.at.most(7);
      seen.push(...idsOf(events));
      const link = res.headers.link as string | undefined;
      url = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1]! : null;
      if (url) expect(url).to.contain('perPage=7').and.contain('eventType=').and.contain('nextPageToken=');
      pages++;
    }
    expect(pages).to.equal(Math.ceil(everything.length / 7));
    expect(seen).to.deep.equal(idsOf(everything));
    const defaultPage = await query('');
    expect(defaultPage.events.length).to.equal(Math.min(30, everything.length));
  });

  it('when another cooperative queries, then it sees none of the coffee events; the roaster sees the roasted lot’s chain but not lots never shipped to it', async () => {
    const coffee = new Set(idsOf(await all()));
    const tea = await all(await h.login('other-coop@demo.test'));
    expect(tea.length).to.be.greaterThan(0);
    expect(tea.filter((e) => coffee.has(e.eventID))).to.deep.equal([]);
    expect((await query(`MATCH_anyEPC=${encodeURIComponent(BLEND)}`, await h.login('other-coop@demo.test'))).events).to.deep.equal([]);

    const roaster = await h.login('processor@demo.test');
    const roasterEvents = new Set(idsOf(await all(roaster)));
    const lots = (await get('/api/v1/batches?limit=500', roaster).expect(200)).body.items as Array<{ id: string; lotNumber: string }>;
    const roasted = lots.find((l) => l.lotNumber === 'KN25R-A')!;
    const chain = JSON.parse((await get(`/api/v1/batches/${roasted.id}/epcis`, roaster).expect(200)).text) as { epcisBody: { eventList: EpcisEvent[] } };
    const chainIds = idsOf(chain.epcisBody.eventList);
    expect(chainIds.length).to.be.greaterThan(5);
    // All of it, except the registrations of the growers' plots: those are linked to plots (not
    // lots) of other organizations, which the query's visibility rule does not extend to.
    const unseen = chain.epcisBody.eventList.filter((e) => !roasterEvents.has(e.eventID));
    expect(unseen.map((e) => e['ft:stepType'])).to.deep.equal(unseen.map(() => 'plot_registration'));
    expect(chainIds.length - unseen.length).to.be.greaterThan(5);
    // The harvests of the cooperative's lots that never went to the roaster stay hidden from it, by query and by ID.
    const harvests = (await query('EQ_bizStep=creating_class_instance&perPage=500')).events.map((e) => e.eventID);
    const hidden = harvests.filter((id) => !roasterEvents.has(id));
    expect(hidden.length).to.be.greaterThan(0);
    expect(hidden.length).to.be.lessThan(harvests.length);
    for (const id of hidden) expect((await get(`/epcis/events/${encodeURIComponent(id)}`, roaster)).status).to.equal(404);
  });

  it('when no token is sent, then both query routes answer 401 problem+json', async () => {
    for (const url of ['/epcis/events', `/epcis/events/${encodeURIComponent('ni:///sha-256;00?ver=CBV2.0')}`]) {
      const res = await get(url);
      expect(res.status, url).to.equal(401);
      expect(res.headers['content-type']).to.match(PROBLEM);
    }
  });

  it('when a parameter is malformed or unknown, then 400 problem+json of type QueryParameterException names it', async () => {
    await expectQueryParameterError('eventType=ObjectEvent,HarvestEvent', 'eventType');
    await expectQueryParameterError('GE_eventTime=yesterday', 'GE_eventTime');
    await expectQueryParameterError(`LT_eventTime=${encodeURIComponent('2025-12-01T00:00:00')}`, 'LT_eventTime');
    await expectQueryParameterError(`GE_eventTime=${encodeURIComponent('2025-12-02T00:00:00Z')}&LT_eventTime=${encodeURIComponent('2025-12-01T00:00:00Z')}`, 'LT_eventTime');
    await expectQueryParameterError('MATCH_anyEPC=KN-2512-G1', 'MATCH_anyEPC');
    await expectQueryParameterError('MATCH_epc=', 'MATCH_epc');
    await expectQueryParameterError('EQ_bizStep=Shipping%20Now', 'EQ_bizStep');
    await expectQueryParameterError('EQ_bizLocation=8936123400217', 'EQ_bizLocation');
    await expectQueryParameterError('perPage=0', 'perPage');
    await expectQueryParameterError('perPage=501', 'perPage');
    await expectQueryParameterError('perPage=ten', 'perPage');
    await expectQueryParameterError('nextPageToken=not-a-token', 'nextPageToken');
    await expectQueryParameterError('EQ_readPoint=x', 'EQ_readPoint');
  });

  it('when an event is fetched by its URL-encoded eventID, then it comes back as JSON-LD with its headers; unknown or unreadable ones are 404 NoSuchResourceException', async () => {
    const everything = await all();
    const event = everything.find((e) => e.type === 'TransformationEvent')!;
    const res = await get(`/epcis/events/${encodeURIComponent(event.eventID)}`, coop);
    expect(res.status, res.text).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/ld\+json/);
    expect(res.headers['gs1-epcis-version']).to.equal('2.0.0');
    const got = JSON.parse(res.text) as EpcisEvent & { '@context': unknown[] };
    const { '@context': context, ...rest } = got;
    expect(rest).to.deep.equal(event);
    expect(context[0]).to.equal(EPCIS_CONTEXT_URL);

    // Wrapped in a document, every returned event validates.
    const wrapped = {
      '@context': context,
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: { eventList: [rest] },
    };
    expect(validateEpcisDocument(wrapped)).to.deep.equal({ valid: true });

    for (const [id, auth] of [
      ['ni:///sha-256;0000000000000000000000000000000000000000000000000000000000000000?ver=CBV2.0', coop],
      [event.eventID, await h.login('other-coop@demo.test')],
    ] as const) {
      const missing = await get(`/epcis/events/${encodeURIComponent(id)}`, auth);
      expect(missing.status, missing.text).to.equal(404);
      expect(missing.headers['content-type']).to.match(PROBLEM);
      expect(missing.body.type).to.equal(NO_SUCH_RESOURCE);
    }
  });
});
