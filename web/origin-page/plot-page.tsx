import { lotDigitalLink } from '../../api/src/domain/gs1/digital-link.js';
import type { PlotFacts } from '../../api/src/domain/signed-plot.js';
import type { PlotOrigin } from '../../api/src/modules/resolver/service.js';
import { formatNumber } from './format.js';
import { Fact, renderDocument } from './layout.js';
import { CertificateItem } from './certificates.js';
import type { Lang, Messages } from './messages.js';
import { openStreetMapUrl, plotCentre, PlotMap } from './plot-map.js';
import { publicName } from './public-names.js';
import { nameOf } from '../vocabulary-names.js';

/** Outlines up to this many positions go into the JSON-LD as a GeoShape; larger ones as their centre. */
const JSON_LD_MAX_POSITIONS = 500;

/**
 * The page a plot's GLN (`/414/{gln}`) resolves to once a lot from the plot is published: the
 * growing area, who works it (name and province only: a household's street address is its home),
 * its certificates, its map and the published lots that came from it.
 */
export function renderPlotPage(origin: PlotOrigin, lang: Lang, m: Messages, self: string, chosen: boolean): string {
  const { plot, farmer, lots, publicBaseUrl: base } = origin;
  const grower = farmer ? publicName(farmer, origin.memberOf, m) : null;
  const crops = plot.crops.map((c) => nameOf(m.cropNames, c)).join(', ');
  const page = origin.links['https://gs1.org/voc/pip']![0]!.href;
  const area = plot.areaHa ?? plot.declaredAreaHa;
  const centre = plotCentre(plot.geometry);
  const facts: PlotFacts = { name: plot.name, crops: plot.crops, geometry: plot.geometry, areaHa: plot.areaHa, declaredAreaHa: plot.declaredAreaHa, farmer: '', certifications: plot.certifications };

  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Place',
    name: plot.name,
    url: page,
    ...(plot.gln ? { globalLocationNumber: plot.gln } : {}),
    geo: geoJsonLd(plot.geometry, centre),
    ...(farmer ? { address: { '@type': 'PostalAddress', addressRegion: farmer.address.province, addressCountry: 'VN' } } : {}),
    ...(area !== null ? { additionalProperty: { '@type': 'PropertyValue', name: 'area', value: Math.round(area * 10_000) / 10_000, unitCode: 'HAR', unitText: 'ha' } } : {}),
  };

  const body = (
    <>
      <h1>{plot.name}</h1>
      <dl class="facts">
        <dt>{m.crops}</dt>
        <dd>{crops}</dd>
        <dt>{m.area}</dt>
        <dd>{area !== null ? `${formatNumber(area, m)} ha` : m.point}</dd>
        <Fact label={m.locationCode}>{plot.gln}</Fact>
        <Fact label={m.grownBy}>{grower}</Fact>
        <Fact label={m.province}>{farmer?.address.province}</Fact>
      </dl>

      <PlotMap plots={[facts]} caption={m.mapCaption(1)} />
      <p class="small">
        <a href={openStreetMapUrl(centre)}>{m.openMap}</a>
      </p>

      <h2 id="certifications">{m.certificationsHeading}</h2>
      {plot.certifications.length ? (
        <ul class="plain">
          {plot.certifications.map((c, i) => (
            <CertificateItem key={i} cert={{ ...c, stars: c.stars ?? null, holder: plot.name }} m={m} />
          ))}
        </ul>
      ) : (
        <p>{m.plotNoCertifications}</p>
      )}

      <h2 id="lots">{m.plotLotsHeading}</h2>
      <ul class="plain">
        {lots.map((lot) => (
          <li key={lot.id}>
            <a href={lotDigitalLink(base, lot)}>{lot.product}</a> <span class="small">· {m.lot} {lot.lotNumber}</span>
          </li>
        ))}
      </ul>

      <h2>{m.machineReadable}</h2>
      <p class="small">
        <a href={`${page}?linkType=linkset`}>{m.linksetLink}</a>
      </p>
    </>
  );
  const description = [m.plot, crops, grower ? `${m.grownBy} ${grower}` : '', farmer?.address.province ?? ''].filter(Boolean).join(' · ');
  return renderDocument(lang, m, { title: plot.name, description, canonical: page, image: null, jsonLd, ogType: 'website', linkset: `${page}?linkType=linkset`, self, chosen }, body);
}

/** schema.org `geo`: a point as GeoCoordinates; an outline as a GeoShape polygon ("lat lon" pairs), or its centre when very long. */
function geoJsonLd(geometry: PlotFacts['geometry'], [lon, lat]: [number, number]): Record<string, unknown> {
  if (geometry.type === 'Polygon') {
    const ring = geometry.coordinates[0] ?? [];
    if (ring.length && ring.length <= JSON_LD_MAX_POSITIONS) return { '@type': 'GeoShape', polygon: ring.map(([x, y]) => `${y} ${x}`).join(' ') };
  }
  return { '@type': 'GeoCoordinates', latitude: lat, longitude: lon };
}
