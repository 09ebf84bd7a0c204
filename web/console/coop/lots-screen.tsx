import { useState } from 'preact/hooks';
import { ScreenHeading } from '../screens/screen-heading.js';
import { fetchAll, LoadedView, useCoop, useLoad, useMessages } from './coop-context.js';
import { fetchOrgNames, formatQuantity, harvestText, isDerived, isHandedOver, isInTransit, LotBadges, orgName, type Lot, type OrgNames } from './lot-display.js';
import { COMMON_MESSAGES } from './messages/common.js';
import { LOTS_MESSAGES, type LotStatusFilter } from './messages/lots.js';

const STATUS_FILTERS: Record<LotStatusFilter, (lot: Lot, names: OrgNames) => boolean> = {
  all: () => true,
  published: (lot) => lot.published,
  unpublished: (lot) => !lot.published,
  inTransit: isInTransit,
  handedOver: isHandedOver,
  derived: isDerived,
};

/** Every lot in the cooperative's chain of custody, filtered by status, member and text, newest first. */
export function LotsScreen() {
  const m = useMessages(LOTS_MESSAGES);
  const loaded = useLoad('lots', async (coop) => {
    const [lots, names] = await Promise.all([fetchAll<Lot>(coop, '/api/v1/batches'), fetchOrgNames(coop)]);
    return { lots: lots.sort((a, b) => b.createdAt.localeCompare(a.createdAt)), names };
  });
  return (
    <>
      <ScreenHeading>{m.lotsHeading}</ScreenHeading>
      <p>{m.lotsIntro}</p>
      <div class="actions">
        <a class="button" href="#/coop/merge">
          {m.mergeLink}
        </a>
      </div>
      <LoadedView loaded={loaded}>{({ lots, names }) => <LotsTable lots={lots} names={names} />}</LoadedView>
    </>
  );
}

function LotsTable({ lots, names }: { lots: Lot[]; names: OrgNames }) {
  const m = useMessages(LOTS_MESSAGES);
  const { locale } = useMessages(COMMON_MESSAGES);
  const { session } = useCoop();
  const [status, setStatus] = useState<LotStatusFilter>('all');
  const [member, setMember] = useState('');
  const [text, setText] = useState('');
  const needle = text.trim().toLocaleLowerCase(locale);
  const shown = lots.filter(
    (lot) =>
      STATUS_FILTERS[status](lot, names) &&
      (!member || lot.orgId === member) &&
      (!needle || `${lot.product} ${lot.lotNumber}`.toLocaleLowerCase(locale).includes(needle)),
  );
  const members = [...names].filter(([id]) => id !== session.orgId);

  return (
    <>
      <fieldset class="filters">
        <legend>{m.filters}</legend>
        <div class="row">
          <div>
            <label for="lots-status">{m.statusFilter}</label>
            <select id="lots-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as LotStatusFilter)}>
              {(Object.keys(STATUS_FILTERS) as LotStatusFilter[]).map((s) => (
                <option key={s} value={s}>
                  {m.statusFilters[s]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="lots-member">{m.memberFilter}</label>
            <select id="lots-member" value={member} onChange={(e) => setMember(e.currentTarget.value)}>
              <option value="">{m.allMembers}</option>
              {members.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="lots-search">{m.search}</label>
            <input id="lots-search" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
          </div>
        </div>
      </fieldset>
      <p role="status" id="lots-count">
        {m.shownCount(shown.length, lots.length)}
      </p>
      {shown.length ? (
        <div class="table-scroll">
          <table class="data" id="lots-table" aria-label={m.lotsCaption}>
            <thead>
              <tr>
                <th scope="col">{m.product}</th>
                <th scope="col">{m.lotNumber}</th>
                <th scope="col">{m.member}</th>
                <th scope="col">{m.quantity}</th>
                <th scope="col">{m.harvest}</th>
                <th scope="col">{m.status}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((lot) => (
                <tr key={lot.id} data-lot-id={lot.id}>
                  <td>
                    <a href={`#/coop/lots/${encodeURIComponent(lot.id)}`}>{lot.product}</a>
                  </td>
                  <td class="code">{lot.lotNumber}</td>
                  <td>{orgName(m, names, lot.orgId)}</td>
                  <td class="nowrap">{formatQuantity(m, locale, lot.quantity)}</td>
                  <td class="date">{harvestText(m, locale, lot)}</td>
                  <td>
                    <LotBadges m={m} lot={lot} names={names} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="note">{m.noLots}</p>
      )}
    </>
  );
}
