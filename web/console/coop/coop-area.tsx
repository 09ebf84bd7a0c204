import type { ComponentChildren } from 'preact';
import type { BatchSummary, PlotSummary } from '../api-client.js';
import { ScreenHeading } from '../screens/screen-heading.js';
import { CoopContext, fetchAll, LoadedView, useLoad, useMessages, type Coop } from './coop-context.js';
import { COMMON_MESSAGES } from './messages/common.js';
import { ExportsScreen } from './exports-screen.js';
import { LotScreen } from './lot-screen.js';
import { LotsScreen } from './lots-screen.js';
import { MembersScreen } from './members-screen.js';
import { MergeScreen } from './merge-screen.js';
import { ProductScreen } from './product-screen.js';
import { ProductsScreen } from './products-screen.js';

/** The cooperative's sections; the address is `#/coop/<section>[/<id>]`. */
const SECTIONS = ['members', 'lots', 'merge', 'products', 'exports'] as const;
type Section = (typeof SECTIONS)[number];

interface Props extends Coop {
  /** The address after `#/coop/`, e.g. `lots/0193…`. */
  path: string;
}

/**
 * The cooperative office: members and their plots on a map, lots and their status, processing,
 * merge and split, products and listings, label sheets, exports and scan counts. Loaded as its
 * own chunk the first time an admin or operator opens it, so farmers' phones never fetch it.
 */
export function CoopArea({ path, ...coop }: Props) {
  const [section = '', id] = path.split('/').filter(Boolean);
  return (
    <CoopContext.Provider value={coop}>
      <CoopNav current={(SECTIONS as readonly string[]).includes(section) ? (section as Section) : null} />
      {section === 'members' ? (
        <MembersScreen />
      ) : section === 'lots' && id ? (
        <LotScreen id={decodeURIComponent(id)} />
      ) : section === 'lots' ? (
        <LotsScreen />
      ) : section === 'merge' ? (
        <MergeScreen />
      ) : section === 'products' && id ? (
        <ProductScreen id={decodeURIComponent(id)} />
      ) : section === 'products' ? (
        <ProductsScreen />
      ) : section === 'exports' ? (
        <ExportsScreen />
      ) : (
        <Overview />
      )}
    </CoopContext.Provider>
  );
}

function CoopNav({ current }: { current: Section | null }) {
  const m = useMessages(COMMON_MESSAGES);
  const link = (href: string, label: string, active: boolean) => (
    <li>
      <a href={href} aria-current={active ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <nav class="coop-nav" aria-label={m.nav}>
      <ul>
        {link('#/coop', m.overview, current === null)}
        {SECTIONS.map((s) => link(`#/coop/${s}`, m[s], current === s))}
      </ul>
    </nav>
  );
}

interface Counts {
  members: number;
  plots: number;
  lots: number;
  unpublished: number;
  products: number;
}

/** The day's figures, and the field tasks an office user also records (a harvest brought to the office). */
function Overview() {
  const m = useMessages(COMMON_MESSAGES);
  const counts = useLoad<Counts>('overview', async (coop) => {
    const [organizations, plots, lots, products] = await Promise.all([
      fetchAll<{ id: string }>(coop, '/api/v1/organizations'),
      fetchAll<PlotSummary>(coop, '/api/v1/plots'),
      fetchAll<BatchSummary>(coop, '/api/v1/batches'),
      fetchAll<{ id: string }>(coop, '/api/v1/products'),
    ]);
    return {
      members: organizations.filter((o) => o.id !== coop.session.orgId).length,
      plots: plots.length,
      lots: lots.length,
      unpublished: lots.filter((l) => !l.published).length,
      products: products.length,
    };
  });
  const figure = (value: number, label: string, href: string): ComponentChildren => (
    <li>
      <a href={href}>
        <strong>{value.toLocaleString(m.locale)}</strong> {label}
      </a>
    </li>
  );
  return (
    <>
      <ScreenHeading>{m.overviewHeading}</ScreenHeading>
      <LoadedView loaded={counts}>
        {(c) => (
          <ul class="figures" id="overview-figures">
            {figure(c.members, m.countMembers, '#/coop/members')}
            {figure(c.plots, m.countPlots, '#/coop/members')}
            {figure(c.lots, m.countLots, '#/coop/lots')}
            {figure(c.unpublished, m.countUnpublished, '#/coop/lots')}
            {figure(c.products, m.countProducts, '#/coop/products')}
          </ul>
        )}
      </LoadedView>
      <h2>{m.fieldTasks}</h2>
      <div class="actions">
        <a class="button" href="#/harvest">
          {m.recordHarvest}
        </a>
        <a class="button" href="#/step">
          {m.addStep}
        </a>
        <a class="button" href="#/plot">
          {m.registerPlot}
        </a>
        <a class="button" href="#/sync">
          {m.sync}
        </a>
      </div>
    </>
  );
}
