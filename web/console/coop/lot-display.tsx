import type { z } from 'zod';
import type { Batch } from '../../../api/src/modules/batches/schema.js';
import { readableDay } from '../local-time.js';
import type { Coop } from './coop-context.js';
import { fetchAll } from './coop-context.js';
import type { LotsMessages } from './messages/lots.js';

/** A lot as the API answers it: the Batch schema's own type (a type-only import, not bundled). */
export type Lot = z.output<typeof Batch>;

/** A quantity as the API gives and takes it. */
export type Quantity = Lot['quantity'];

/** Names of the organizations the caller can see: its own and its member households. */
export type OrgNames = Map<string, string>;

export async function fetchOrgNames(coop: Coop): Promise<OrgNames> {
  const organizations = await fetchAll<{ id: string; name: string }>(coop, '/api/v1/organizations');
  return new Map(organizations.map((o) => [o.id, o.name]));
}

/** How a lot is named in lists and choices: "Cà phê nhân · KN-2511-01". */
export const lotLabel = (lot: Pick<Lot, 'product' | 'lotNumber'>) => `${lot.product} · ${lot.lotNumber}`;

/** The lot number as a safe part of a downloaded file's name. */
export const lotFileStem = (lot: Pick<Lot, 'lotNumber'>) => lot.lotNumber.replace(/[^A-Za-z0-9._-]+/g, '_');

export function orgName(m: LotsMessages, names: OrgNames, orgId: string): string {
  return names.get(orgId) ?? m.anotherOrganization;
}

export function formatQuantity(m: LotsMessages, locale: string, q: Quantity): string {
  const number = (n: number) => n.toLocaleString(locale);
  if (q.unit === 'bag') return m.bags(number(q.value), number(q.bagKg ?? 0));
  return `${number(q.value)} ${m.units[q.unit]}`;
}

/** The harvest day, or its period, in the language's date format. */
export function harvestText(m: LotsMessages, locale: string, lot: Pick<Lot, 'harvestedAt' | 'harvestPeriod'>): string {
  if (lot.harvestPeriod) return m.period(readableDay(lot.harvestPeriod.from, locale), readableDay(lot.harvestPeriod.to, locale));
  return lot.harvestedAt ? readableDay(lot.harvestedAt, locale) : '';
}

export const isInTransit = (lot: Lot) => lot.pendingReceiverOrgId !== null;
/** Held by an organization outside the cooperative (neither the cooperative nor one of its member households). */
export const isHandedOver = (lot: Lot, names: OrgNames) => !names.has(lot.custodianOrgId);
export const isDerived = (lot: Lot) => lot.derivedFrom.length > 0;

/** The address path of the lot's origin page (its Digital Link, on whatever host serves this console). */
export function originPath(lot: Lot): string {
  const link = new URL(lot.digitalLink);
  return link.pathname + link.search;
}

/** Published or not, and whether it is in transit, handed over, or made from other lots. */
export function LotBadges({ m, lot, names }: { m: LotsMessages; lot: Lot; names: OrgNames }) {
  return (
    <span class="lot-badges">
      <span class={`badge ${lot.published ? 'synced' : 'queued'}`}>{lot.published ? m.published : m.unpublished}</span>
      {lot.pendingReceiverOrgId ? <span class="badge sending">{m.inTransitTo(orgName(m, names, lot.pendingReceiverOrgId))}</span> : null}
      {isHandedOver(lot, names) ? <span class="badge info">{m.handedOverTo(orgName(m, names, lot.custodianOrgId))}</span> : null}
      {isDerived(lot) ? <span class="badge info">{m.derived}</span> : null}
    </span>
  );
}
