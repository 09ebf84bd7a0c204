import { useState } from 'preact/hooks';
import type { BatchSummary } from '../api-client.js';
import { nameOf, VOCABULARY_NAMES } from '../../vocabulary-names.js';
import { readableDay } from '../local-time.js';
import { ScreenHeading } from '../screens/screen-heading.js';
import { COMMON_MESSAGES } from './messages/common.js';
import { fetchAll, FormSubmit, LoadedView, useAction, useCoop, useLoad, useMessages } from './coop-context.js';
import { FarmerLogins } from './farmer-logins.js';
import { MEMBERS_MESSAGES } from './messages/members.js';
import { PlotMap, plotCentre, type MapPlot } from './plot-map.js';

interface Organization {
  id: string;
  slug: string;
  name: string;
  address: { province: string; commune: string | null; street: string | null };
}

interface Plot extends MapPlot {
  crops: string[];
  certifications: Array<{ scheme: string; number: string; validTo: string; expired: boolean }>;
}

interface MembersData {
  own: Organization | null;
  members: Organization[];
  plots: Plot[];
  lots: Array<BatchSummary & { orgId: string }>;
}

/** Dark enough for 3:1 against the map's background and white; the legend and labels name each member too. */
const MEMBER_COLOURS = ['#1f5fa8', '#b3261e', '#6a3d9a', '#8a5300', '#00695c', '#ad1457', '#37474f', '#4e6b00'];
const OWN_COLOUR = '#5b6157';

/**
 * The cooperative's member households and all their plots on one map: select a member to zoom to
 * its plots, a plot to see its details. Admins also register households and their farmers' logins.
 */
export function MembersScreen() {
  const m = useMessages(MEMBERS_MESSAGES);
  const loaded = useLoad<MembersData>('members', async (coop) => {
    const [organizations, plots, lots] = await Promise.all([
      fetchAll<Organization>(coop, '/api/v1/organizations'),
      fetchAll<Plot>(coop, '/api/v1/plots'),
      fetchAll<BatchSummary & { orgId: string }>(coop, '/api/v1/batches'),
    ]);
    return {
      own: organizations.find((o) => o.id === coop.session.orgId) ?? null,
      members: organizations.filter((o) => o.id !== coop.session.orgId),
      plots,
      lots,
    };
  });
  return (
    <>
      <ScreenHeading>{m.heading}</ScreenHeading>
      <LoadedView loaded={loaded}>{(data) => <Members data={data} reload={loaded.reload} />}</LoadedView>
    </>
  );
}

function Members({ data, reload }: { data: MembersData; reload: () => void }) {
  const m = useMessages(MEMBERS_MESSAGES);
  const { session } = useCoop();
  const [focusOrgId, setFocusOrgId] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const colours = new Map(data.members.map((o, i) => [o.id, MEMBER_COLOURS[i % MEMBER_COLOURS.length]!]));
  const names = new Map(data.members.map((o) => [o.id, o.name]));
  if (data.own) names.set(data.own.id, m.cooperativeItself);
  const colourOf = (orgId: string) => colours.get(orgId) ?? OWN_COLOUR;
  const nameOf = (orgId: string) => names.get(orgId) ?? orgId;
  const legend = [...data.members, ...(data.own ? [data.own] : [])].filter((org) => data.plots.some((p) => p.orgId === org.id));
  const selected = data.plots.find((p) => p.id === selectedId) ?? null;
  const focus = (orgId: string | null) => {
    setFocusOrgId(orgId);
    if (orgId && selected && selected.orgId !== orgId) setSelectedId(null);
  };
  return (
    <>
      <h2 id="map-heading">{m.mapHeading}</h2>
      {data.plots.length === 0 ? (
        <p>{m.noPlots}</p>
      ) : (
        <div class="map-layout">
          <div>
            <PlotMap
              plots={data.plots}
              focusOrgId={focusOrgId}
              selectedId={selectedId}
              colourOf={colourOf}
              titleOf={(p) => m.plotTitle(p.name, nameOf(p.orgId), m.hectares(p.areaHa))}
              label={m.mapLabel(data.plots.length, data.members.length)}
              onSelect={setSelectedId}
            />
            <p class="small">{m.mapHelp}</p>
          </div>
          <div>
            <fieldset class="map-legend">
              <legend>{m.legend}</legend>
              <button type="button" aria-pressed={focusOrgId === null} onClick={() => focus(null)}>
                {m.allMembers}
              </button>
              {legend.map((org) => (
                <button type="button" key={org.id} aria-pressed={focusOrgId === org.id} data-org-id={org.id} onClick={() => focus(org.id)}>
                  <Swatch colour={colourOf(org.id)} /> {nameOf(org.id)} <span class="small">({m.plotCount(data.plots.filter((p) => p.orgId === org.id).length)})</span>
                </button>
              ))}
            </fieldset>
            {selected ? <PlotDetails plot={selected} memberName={nameOf(selected.orgId)} onClose={() => setSelectedId(null)} /> : null}
          </div>
        </div>
      )}
      <MembersTable data={data} colourOf={colourOf} onShow={focus} />
      {session.role === 'admin' ? (
        <>
          <RegisterMemberForm defaultProvince={data.own?.address.province ?? ''} onRegistered={reload} />
          <FarmerLogins members={data.members} preselected={focusOrgId} />
        </>
      ) : (
        <p class="note">{m.adminsOnly}</p>
      )}
    </>
  );
}

function Swatch({ colour }: { colour: string }) {
  return (
    <svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
      <rect x="1" y="1" width="12" height="12" rx="2" fill={colour} stroke="#1c2419" stroke-width="1" />
    </svg>
  );
}

function PlotDetails({ plot, memberName, onClose }: { plot: Plot; memberName: string; onClose: () => void }) {
  const m = useMessages(MEMBERS_MESSAGES);
  const { lang } = useCoop();
  const { locale } = useMessages(COMMON_MESSAGES);
  const crops = VOCABULARY_NAMES[lang].crops;
  const [lon, lat] = plotCentre(plot).map((n) => Number(n.toFixed(6))) as [number, number];
  return (
    <section class="plot-details" aria-labelledby="plot-details-heading" aria-live="polite">
      <h3 id="plot-details-heading">{m.plotHeading(plot.name)}</h3>
      <dl class="summary">
        <dt>{m.member}</dt>
        <dd>{memberName}</dd>
        <dt>{m.crops}</dt>
        <dd>{plot.crops.map((c) => nameOf(crops, c)).join(', ')}</dd>
        <dt>{m.area}</dt>
        <dd id="plot-area">
          {m.hectares(plot.areaHa)}
          {plot.geometry.type === 'Point' ? ` (${m.declared})` : null}
        </dd>
      </dl>
      <h4>{m.certifications}</h4>
      {plot.certifications.length === 0 ? (
        <p>{m.noCertifications}</p>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{m.scheme}</th>
                <th scope="col">{m.number}</th>
                <th scope="col">{m.validTo}</th>
              </tr>
            </thead>
            <tbody>
              {plot.certifications.map((c) => (
                <tr key={c.number}>
                  <td>{c.scheme}</td>
                  <td>{c.number}</td>
                  <td>
                    <span class="date">{readableDay(c.validTo, locale)}</span> <span class={`badge ${c.expired ? 'failed' : 'synced'}`}>{c.expired ? m.expired : m.valid}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <a href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`} target="_blank" rel="noopener noreferrer">
          {m.openInOsm}
        </a>
      </p>
      <details>
        <summary>{m.plotJson}</summary>
        <pre class="json">{JSON.stringify(plot, null, 2)}</pre>
      </details>
      <button type="button" onClick={onClose}>
        {m.closePlot}
      </button>
    </section>
  );
}

function MembersTable({ data, colourOf, onShow }: { data: MembersData; colourOf: (orgId: string) => string; onShow: (orgId: string) => void }) {
  const m = useMessages(MEMBERS_MESSAGES);
  return (
    <>
      <h2>{m.tableHeading}</h2>
      {data.members.length === 0 ? (
        <p>{m.noMembers}</p>
      ) : (
        <div class="table-scroll">
          <table class="data" id="members-table">
            <thead>
              <tr>
                <th scope="col">{m.name}</th>
                <th scope="col">{m.place}</th>
                <th scope="col">{m.plots}</th>
                <th scope="col">{m.totalArea}</th>
                <th scope="col">{m.lots}</th>
              </tr>
            </thead>
            <tbody>
              {data.members.map((org) => {
                const plots = data.plots.filter((p) => p.orgId === org.id);
                const area = plots.reduce((sum, p) => sum + (p.areaHa ?? 0), 0);
                return (
                  <tr key={org.id} data-org-id={org.id}>
                    <th scope="row">
                      <Swatch colour={colourOf(org.id)} />{' '}
                      {plots.length ? (
                        <a
                          href="#map-heading"
                          aria-label={m.showOnMap(org.name)}
                          onClick={(e) => {
                            e.preventDefault();
                            onShow(org.id);
                            document.getElementById('map-heading')?.scrollIntoView();
                          }}
                        >
                          {org.name}
                        </a>
                      ) : (
                        org.name
                      )}
                    </th>
                    <td>{[org.address.commune, org.address.province].filter(Boolean).join(', ')}</td>
                    <td>{plots.length}</td>
                    <td>{m.hectares(plots.length ? area : null)}</td>
                    <td>{data.lots.filter((l) => l.orgId === org.id).length}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** A slug the API accepts, from a Vietnamese name: "Hộ ông Đỗ Văn An" → "ho-ong-do-van-an". */
function slugOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 64)
    .replace(/^-+|-+$/g, '');
}

function RegisterMemberForm({ defaultProvince, onRegistered }: { defaultProvince: string; onRegistered: () => void }) {
  const m = useMessages(MEMBERS_MESSAGES);
  const action = useAction();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState<string | null>(null);
  const [province, setProvince] = useState(defaultProvince);
  const [commune, setCommune] = useState('');
  const [street, setStreet] = useState('');
  const [pucCode, setPucCode] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    const created = await action.run<Organization>('/api/v1/organizations', {
      json: {
        slug: slug ?? slugOf(name),
        name,
        address: { province, commune: optional(commune), street: optional(street) },
        pucCode: optional(pucCode),
      },
    });
    if (!created) return;
    setDone(m.registered(created.name));
    setName('');
    setSlug(null);
    setCommune('');
    setStreet('');
    setPucCode('');
    onRegistered();
  };
  return (
    <form id="register-member" onSubmit={submit} aria-labelledby="register-heading">
      <h2 id="register-heading">{m.registerHeading}</h2>
      <label for="member-name">{m.householdName}</label>
      <input id="member-name" required value={name} placeholder={m.householdNameHint} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="member-slug">{m.slug}</label>
      <input id="member-slug" required aria-describedby="member-slug-hint" value={slug ?? slugOf(name)} onInput={(e) => setSlug(e.currentTarget.value)} />
      <p id="member-slug-hint" class="small">
        {m.slugHint}
      </p>
      <div class="row">
        <div>
          <label for="member-province">{m.province}</label>
          <input id="member-province" required value={province} onInput={(e) => setProvince(e.currentTarget.value)} />
        </div>
        <div>
          <label for="member-commune">{m.commune}</label>
          <input id="member-commune" value={commune} onInput={(e) => setCommune(e.currentTarget.value)} />
        </div>
      </div>
      <div class="row">
        <div>
          <label for="member-street">{m.street}</label>
          <input id="member-street" value={street} onInput={(e) => setStreet(e.currentTarget.value)} />
        </div>
        <div>
          <label for="member-puc">{m.pucCode}</label>
          <input id="member-puc" value={pucCode} onInput={(e) => setPucCode(e.currentTarget.value)} />
        </div>
      </div>
      <FormSubmit action={action} label={m.register} busyLabel={m.registering} done={done} />
    </form>
  );
}
