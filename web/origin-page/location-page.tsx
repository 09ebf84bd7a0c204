import type { LocationOrigin } from '../../api/src/modules/resolver/service.js';
import { Fact, renderDocument } from './layout.js';
import { addressLine } from './lot-details.js';
import type { Lang, Messages } from './messages.js';

/** The page a GLN (`/414/{gln}`) resolves to: who is at that location and where it is. */
export function renderLocationPage(origin: LocationOrigin, lang: Lang, m: Messages, self: string, chosen: boolean): string {
  const { organization: org, parent } = origin;
  const page = origin.links['https://gs1.org/voc/pip']![0]!.href;
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Organization',
    name: org.name,
    ...(org.gln ? { globalLocationNumber: org.gln } : {}),
    address: { '@type': 'PostalAddress', streetAddress: org.address.street ?? undefined, addressLocality: org.address.commune ?? undefined, addressRegion: org.address.province, addressCountry: 'VN' },
    ...(parent ? { memberOf: { '@type': 'Organization', name: parent.name } } : {}),
  };
  const body = (
    <>
      <h1>{org.name}</h1>
      <dl class="facts">
        <dt>{m.organization}</dt>
        <dd>{m.organizationTypes[org.type]}</dd>
        <dt>{m.address}</dt>
        <dd>{addressLine(org)}</dd>
        <Fact label="GLN">{org.gln}</Fact>
        <Fact label={m.pucCode}>{org.pucCode}</Fact>
        <Fact label={m.packingHouseCode}>{org.packingHouseCode}</Fact>
        <Fact label={m.memberOf}>{parent?.name}</Fact>
      </dl>
    </>
  );
  return renderDocument(lang, m, { title: org.name, description: `${m.organizationTypes[org.type]} · ${addressLine(org)}`, canonical: page, image: null, jsonLd, ogType: 'website', linkset: `${page}?linkType=linkset`, self, chosen }, body);
}
