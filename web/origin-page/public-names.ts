import type { OrganizationRecord } from '../../api/src/store/port.js';
import type { Messages } from './messages.js';

/**
 * Who the public pages name. A farm household's name and home address are personal data: until
 * a household's consent to be named is recorded (the privacy issue), the pages name its
 * cooperative instead. This is the one place that decides; consent is to be read here.
 */
export function householdNamedPublicly(household: OrganizationRecord): boolean {
  void household;
  return false;
}

/** The name a page shows for an organization that recorded a step or grows a plot. */
export function publicName(org: OrganizationRecord, memberOf: Record<string, OrganizationRecord>, m: Messages): string {
  if (org.type !== 'farm_household' || householdNamedPublicly(org)) return org.name;
  const coop = memberOf[org.id];
  return coop ? m.aMemberHousehold(coop.name) : m.aHousehold;
}

/** The organizations a page names as the lot's producers: households stand for their cooperative, counted. */
export function publicProducers(growers: Array<OrganizationRecord | null>, memberOf: Record<string, OrganizationRecord>): { producers: OrganizationRecord[]; unnamedHouseholds: number } {
  const producers: OrganizationRecord[] = [];
  const households = new Set<string>();
  for (const grower of growers) {
    if (!grower) continue;
    const shown = grower.type === 'farm_household' && !householdNamedPublicly(grower) ? memberOf[grower.id] : grower;
    if (grower.type === 'farm_household' && shown !== grower) households.add(grower.id);
    if (shown && !producers.some((p) => p.id === shown.id)) producers.push(shown);
  }
  return { producers, unnamedHouseholds: households.size };
}
