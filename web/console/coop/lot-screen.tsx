import { Fragment, type ComponentChildren } from 'preact';
import { readableDateTime } from '../local-time.js';
import { ScreenHeading } from '../screens/screen-heading.js';
import { coopGet, fetchAll, LoadedView, useLoad, useMessages } from './coop-context.js';
import { LotCode } from './lot-code.js';
import { fetchOrgNames, formatQuantity, harvestText, isHandedOver, LotBadges, lotLabel, orgName, type Lot, type OrgNames } from './lot-display.js';
import { LotHistory, type LotStep } from './lot-history.js';
import { LotPublishing } from './lot-publishing.js';
import { LotScans } from './lot-scans.js';
import { LotSplitForm } from './lot-split-form.js';
import { LotStepForm } from './lot-step-form.js';
import { COMMON_MESSAGES } from './messages/common.js';
import { LOTS_MESSAGES } from './messages/lots.js';

interface LotView {
  lot: Lot;
  steps: LotStep[];
  names: OrgNames;
  /** The lots it was merged or split from that the cooperative can read. */
  sources: Lot[];
}

/** Only the lot's custodian records its steps or splits it, and not while it is on its way to someone else. */
const heldByUs = (lot: Lot, names: OrgNames) => !isHandedOver(lot, names) && (!lot.pendingReceiverOrgId || names.has(lot.pendingReceiverOrgId));

/** One lot: what it is, its history, a new step, publishing, its QR code and labels, its scans, and a split. */
export function LotScreen({ id }: { id: string }) {
  const m = useMessages(LOTS_MESSAGES);
  const path = `/api/v1/batches/${encodeURIComponent(id)}`;
  const loaded = useLoad<LotView>(`lot:${id}`, async (coop) => {
    const [lot, steps, names] = await Promise.all([coopGet<Lot>(coop, path), fetchAll<LotStep>(coop, `${path}/steps`), fetchOrgNames(coop)]);
    const sources = await Promise.all(lot.derivedFrom.map((source) => coopGet<Lot>(coop, `/api/v1/batches/${encodeURIComponent(source)}`).catch(() => null)));
    return { lot, steps, names, sources: sources.filter((s): s is Lot => s !== null) };
  });
  return (
    <LoadedView loaded={loaded}>
      {({ lot, steps, names, sources }) => (
        // Keyed by the lot, so a split's new lot opens with fresh forms and its heading focused.
        <Fragment key={lot.id}>
          <ScreenHeading>{m.lotHeading(lot.product, lot.lotNumber)}</ScreenHeading>
          <p>
            <a href="#/coop/lots">{m.backToLots}</a>
          </p>
          <div class="lot-columns">
            <div>
              <LotSummary lot={lot} names={names} sources={sources} />
              <LotPublishing lot={lot} ours={names.has(lot.orgId)} onChanged={loaded.reload} />
              <LotCode lot={lot} />
            </div>
            <div>
              <section aria-labelledby="history-heading">
                <h2 id="history-heading">{m.history}</h2>
                <LotHistory steps={steps} names={names} />
              </section>
              {heldByUs(lot, names) ? <LotStepForm lotId={lot.id} onRecorded={loaded.reload} /> : <p class="note">{m.heldElsewhere}</p>}
            </div>
          </div>
          <LotScans lotId={lot.id} />
          {heldByUs(lot, names) ? <LotSplitForm lot={lot} /> : null}
        </Fragment>
      )}
    </LoadedView>
  );
}

function LotSummary({ lot, names, sources }: { lot: Lot; names: OrgNames; sources: Lot[] }) {
  const m = useMessages(LOTS_MESSAGES);
  const { locale } = useMessages(COMMON_MESSAGES);
  const row = (term: string, value: ComponentChildren) =>
    value ? (
      <>
        <dt>{term}</dt>
        <dd>{value}</dd>
      </>
    ) : null;
  return (
    <section aria-labelledby="summary-heading">
      <h2 id="summary-heading">{m.summary}</h2>
      <p>
        <LotBadges m={m} lot={lot} names={names} />
      </p>
      <dl class="summary" id="lot-summary">
        {row(m.product, lot.product)}
        {row(m.variety, lot.variety)}
        {row(m.lotNumber, <span class="code">{lot.lotNumber}</span>)}
        {row(m.gtin, lot.gtin ? <span class="code">{lot.gtin}</span> : null)}
        {row(m.quantity, formatQuantity(m, locale, lot.quantity))}
        {row(m.harvest, harvestText(m, locale, lot) ? <span class="date">{harvestText(m, locale, lot)}</span> : null)}
        {row(m.owner, orgName(m, names, lot.orgId))}
        {row(m.custodian, orgName(m, names, lot.custodianOrgId))}
        {row(
          m.derivedFromLots,
          sources.length ? (
            <ul class="plain">
              {sources.map((s) => (
                <li key={s.id}>
                  <a href={`#/coop/lots/${encodeURIComponent(s.id)}`}>{lotLabel(s)}</a>
                </li>
              ))}
            </ul>
          ) : null,
        )}
        {row(m.createdAt, <span class="date">{readableDateTime(lot.createdAt, locale)}</span>)}
      </dl>
    </section>
  );
}
