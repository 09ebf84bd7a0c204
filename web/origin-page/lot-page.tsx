import type { LotOrigin } from '../../api/src/modules/resolver/service.js';
import { lotUri, toOffsetTime } from '../../api/src/domain/event-model.js';
import { locationDigitalLink } from '../../api/src/domain/gs1/digital-link.js';
import { renditionUrl } from '../../api/src/media/rendition-urls.js';
import type { MediaRecord, OrganizationRecord } from '../../api/src/store/port.js';
import { formatDate, formatDateTime, formatNumber, formatQuantity, gs1Date } from './format.js';
import { Fact, Hero, heroImage, renderDocument } from './layout.js';
import { lotStory, type Certificate, type Photo, type Stage } from './lot-story.js';
import type { Lang, Messages } from './messages.js';
import { nameOf } from '../vocabulary-names.js';
import { openStreetMapUrl, plotCentre, PlotMap } from './plot-map.js';
import { BuyLinks, offersJsonLd, productTitle } from './product-page.js';

/** The script that re-checks the signed record in the buyer's browser (served from /assets). */
export const ORIGIN_PAGE_SCRIPT = '/assets/origin-page.js';

export function addressLine(org: OrganizationRecord | null): string {
  if (!org) return '';
  return [org.address.street, org.address.commune, org.address.province].filter(Boolean).join(', ');
}

/** Images on the page are same-origin paths (the CSP allows 'self'); only og:image and JSON-LD need absolute URLs. */
const imagePath = (sha256: string): string => renditionUrl('', sha256);

function Photos({ photos, label }: { photos: Photo[]; label: string }) {
  if (!photos.length) return null;
  return (
    <ul class="photos" aria-label={label}>
      {photos.map((p, i) => {
        const sorted = [...p.renditions].sort((a, b) => a.width - b.width);
        const small = sorted[0]!;
        return (
          <li key={i}>
            <img
              src={imagePath(small.sha256)}
              srcSet={sorted.slice(0, 2).map((r) => `${imagePath(r.sha256)} ${r.width}w`).join(', ')}
              sizes="150px"
              width={150}
              height={112}
              loading="lazy"
              decoding="async"
              alt={`${label} ${i + 1}${p.takenAt ? `, ${p.takenAt.slice(0, 10)}` : ''}`}
            />
          </li>
        );
      })}
    </ul>
  );
}

function StageItem({ stage, m, resolvableGlns }: { stage: Stage; m: Messages; resolvableGlns: Set<string> }) {
  const title = m.steps[stage.stepType] ?? stage.stepType;
  return (
    <li>
      <h3>{title}</h3>
      <div class="when">
        {/* A harvest is recorded by its day; its midnight time means nothing to a reader. */}
        <time dateTime={stage.eventTime}>{stage.stepType === 'harvest' ? formatDate(stage.eventTime, m) : formatDateTime(stage.eventTime, m)}</time>
        {stage.lastTime ? (
          <>
            {' – '}
            <time dateTime={stage.lastTime}>{formatDateTime(stage.lastTime, m)}</time>
            {` · ${m.repeated(stage.repeats)}`}
          </>
        ) : null}
      </div>
      <dl class="facts">
        <dt>{m.actor}</dt>
        <dd>{stage.actor ? `${stage.actor.name}${addressLine(stage.actor) ? ` (${stage.actor.address.province})` : ''}` : (stage.actorUri ?? '')}</dd>
        <Fact label={m.place}>
          {stage.placeName || stage.geo ? (
            <>
              {stage.placeName}
              {stage.placeName && stage.geo ? ' · ' : null}
              {stage.geo ? <a href={openStreetMapUrl(stage.geo)}>{m.openMap}</a> : null}
            </>
          ) : null}
        </Fact>
        <Fact label={m.locationCode}>{stage.gln && resolvableGlns.has(stage.gln) ? <a href={locationDigitalLink('', stage.gln)}>{stage.gln}</a> : stage.gln}</Fact>
        <Fact label={m.productCode}>{stage.lots.join('; ')}</Fact>
        <Fact label={m.receiver}>{stage.receiver?.name}</Fact>
        <Fact label={m.notes}>{stage.notes}</Fact>
      </dl>
      <Photos photos={stage.photos} label={m.photosOf(title)} />
    </li>
  );
}

/** One certificate with its validity (expired ones flagged), as the lot and plot pages list them. */
export function CertificateItem({ cert, m }: { cert: Certificate; m: Messages }) {
  // Validity ends with the day in Vietnam, not in UTC.
  const today = toOffsetTime(new Date().toISOString()).slice(0, 10);
  const state =
    cert.validTo < today ? (
      <span class="expired">{m.expiredOn(formatDate(cert.validTo, m))}</span>
    ) : cert.validFrom > today ? (
      <span>{m.notYetValid(formatDate(cert.validFrom, m))}</span>
    ) : (
      <span class="valid">{m.validUntil(formatDate(cert.validTo, m))}</span>
    );
  return (
    <li>
      <strong>{m.certificationSchemes[cert.scheme] ?? cert.scheme}</strong>
      {cert.stars ? ` · ${m.ocopStars(cert.stars)}` : ''} — {state}
      <div class="small">
        {cert.number} · {m.issuedBy} {cert.issuer} · {cert.holder}
      </div>
    </li>
  );
}

/** The public origin page of a published lot. */
export function renderLotPage(origin: LotOrigin, lang: Lang, m: Messages, self: string): string {
  const { batch, product, owner, verification, publicBaseUrl: base } = origin;
  const story = lotStory(origin);
  const resolvableGlns = new Set(Object.values(origin.organizations).flatMap((o) => (o.gln && o.type !== 'farm_household' ? [o.gln] : [])));
  const name = productTitle(product, batch.product, lang);
  const page = origin.links['https://gs1.org/voc/pip']![0]!.href;
  const hero = heroImage((origin.productPhotos[0] as MediaRecord | undefined)?.renditions ?? story.lotPhotos[0]?.renditions ?? [], origin.publicBaseUrl);
  const producers = uniqueOrgs(story.plots.map((p) => p.farmerOrg));
  const expiry = origin.attributes.find((a) => a.ai === '17' || a.ai === '15');
  const expiryDate = expiry ? gs1Date(expiry.value) : null;
  const harvest = story.harvest
    ? story.harvest.from === story.harvest.to
      ? formatDate(story.harvest.from, m)
      : `${formatDate(story.harvest.from, m)} – ${formatDate(story.harvest.to, m)}`
    : null;
  const packing = [...story.stages].reverse().find((s) => s.stepType === 'packing');
  const standards = [...new Set(story.certificates.map((c) => m.certificationSchemes[c.scheme] ?? c.scheme))];
  if (product?.ocopStars) standards.push(m.ocopStars(product.ocopStars));
  const bundleUrl = `${base}/api/v1/batches/${batch.id}/provenance`;
  // Fetched by the page's own script: same origin, whatever host name the page was reached by.
  const bundlePath = `/api/v1/batches/${batch.id}/provenance`;
  const description = [
    producers.length ? `${m.producedBy} ${producers.map((p) => p.name).join(', ')}` : owner ? `${m.producedBy} ${owner.name}` : '',
    producers[0]?.address.province ?? owner?.address.province ?? '',
    harvest ? `${m.harvest}: ${harvest}` : '',
  ]
    .filter(Boolean)
    .join(' · ');

  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name,
    ...(product?.description.vi ? { description: (lang === 'en' && product.description.en) || product.description.vi } : {}),
    ...(batch.gtin ? { gtin14: batch.gtin } : {}),
    ...(product?.brand ? { brand: { '@type': 'Brand', name: product.brand } } : {}),
    ...(hero ? { image: [hero.absolute] } : {}),
    url: page,
    productID: batch.lotNumber,
    countryOfOrigin: { '@type': 'Country', name: 'VN' },
    ...(owner ? { manufacturer: { '@type': 'Organization', name: owner.name, address: { '@type': 'PostalAddress', addressRegion: owner.address.province, addressCountry: 'VN' } } } : {}),
    ...(origin.listings.length && product ? { offers: offersJsonLd(origin.listings, product) } : {}),
  };

  const body = (
    <>
      <Hero image={hero} alt={name} />
      <h1>{name}</h1>
      <dl class="facts">
        <Fact label={m.brand}>{product?.brand}</Fact>
        <dt>{m.lot}</dt>
        <dd>{batch.lotNumber}</dd>
        <Fact label={m.gtin}>{batch.gtin}</Fact>
        <Fact label={m.serial}>{origin.serial}</Fact>
        <Fact label={m.harvest}>{harvest}</Fact>
        <dt>{m.quantity}</dt>
        <dd>{formatQuantity(batch.quantity, m)}</dd>
      </dl>

      <section aria-labelledby="verify">
        <div class={`badge ${verification.valid ? 'ok' : 'bad'}`} role="status">
          <strong id="verify">{verification.valid ? `✓ ${m.verified}` : `⚠ ${m.notVerified}`}</strong>
          {verification.valid ? m.verifiedDetail(verification.events, verification.signers, formatDate(toOffsetTime(verification.checkedAt), m)) : verification.problems.join('; ')}
        </div>
        <button
          type="button"
          id="recheck"
          hidden
          data-bundle={bundlePath}
          data-lot={lotUri(batch)}
          data-checking={m.rechecking}
          data-ok={m.recheckOk}
          data-fail={m.recheckFail}
          data-error={m.recheckError}
        >
          {m.recheck}
        </button>
        <output id="recheck-result" aria-live="polite" />
        <p class="small">
          <a href={bundleUrl}>{m.verifyOffline}</a> · <a href={`${base}/.well-known/jwks.json`}>{m.publicKeys}</a>
        </p>
      </section>

      <h2>{m.producers}</h2>
      <ul class="plain">
        {producers.map((p) => (
          <li key={p.id}>
            <strong>{p.name}</strong> <span class="small">({m.organizationTypes[p.type]})</span>
            <div>{addressLine(p)}</div>
          </li>
        ))}
        {owner && !producers.some((p) => p.id === owner.id) ? (
          <li>
            <strong>{owner.name}</strong> <span class="small">({m.lotOwner})</span>
            <div>{addressLine(owner)}</div>
          </li>
        ) : null}
      </ul>

      {story.plots.length ? (
        <>
          <h2 id="plots">{m.plotsHeading}</h2>
          <PlotMap plots={story.plots} caption={m.mapCaption(story.plots.length)} />
          <ol>
            {story.plots.map((plot, i) => (
              <li key={i}>
                <strong>{plot.name}</strong> — {plot.crops.map((c) => nameOf(m.cropNames, c)).join(', ')}
                <div class="small">
                  {plot.farmerOrg ? `${m.farmer}: ${plot.farmerOrg.name} · ` : ''}
                  {m.area}: {plot.areaHa !== null ? `${formatNumber(plot.areaHa, m)} ha` : plot.declaredAreaHa !== null ? `${formatNumber(plot.declaredAreaHa, m)} ha` : m.point} ·{' '}
                  {/* The plot feeds this published lot, so its GLN resolves to the plot's own page. */}
                  {plot.gln ? (
                    <>
                      GLN <a href={locationDigitalLink('', plot.gln)}>{plot.gln}</a> ·{' '}
                    </>
                  ) : null}
                  <a href={openStreetMapUrl(plotCentre(plot.geometry))}>{m.openMap}</a>
                </div>
                <Photos photos={plot.photos} label={m.photosOf(plot.name)} />
              </li>
            ))}
          </ol>
        </>
      ) : null}

      <h2>{m.timelineHeading}</h2>
      <ol class="timeline">
        {story.stages.map((s) => (
          <StageItem key={s.eventID} stage={s} m={m} resolvableGlns={resolvableGlns} />
        ))}
      </ol>
      <Photos photos={story.lotPhotos} label={m.lotPhotos} />

      <h2 id="certifications">{m.certificationsHeading}</h2>
      {story.certificates.length || product?.ocopStars ? (
        <ul class="plain">
          {product?.ocopStars ? (
            <li>
              <strong>{m.ocopStars(product.ocopStars)}</strong>
              <div class="small">{m.ocopNote}</div>
            </li>
          ) : null}
          {story.certificates.map((c, i) => (
            <CertificateItem key={i} cert={c} m={m} />
          ))}
        </ul>
      ) : (
        <p>{m.noCertifications}</p>
      )}

      <h2>{m.buyHeading}</h2>
      {product ? <BuyLinks listings={origin.listings} product={product} m={m} /> : <p>{m.noListings}</p>}

      <h2>{m.minimumHeading}</h2>
      <p class="small">{m.minimumNote}</p>
      <dl class="facts">
        <dt>{m.productName}</dt>
        <dd>{name}</dd>
        <dt>{m.image}</dt>
        <dd>{hero ? m.imageShown : m.imageMissing}</dd>
        <dt>{m.producers}</dt>
        <dd>{[...producers, ...(owner ? [owner] : [])].filter(uniqueById).map((p) => p.name).join('; ')}</dd>
        <dt>{m.producerAddress}</dt>
        <dd>{[...producers, ...(owner ? [owner] : [])].filter(uniqueById).map(addressLine).join('; ')}</dd>
        <dt>{m.stages}</dt>
        <dd>{m.stagesValue(story.stages.length)}</dd>
        <dt>{m.productionTime}</dt>
        <dd>
          {[harvest ? `${m.harvest}: ${harvest}` : null, packing ? `${m.steps.packing}: ${formatDate(packing.eventTime, m)}` : null].filter(Boolean).join('; ') || m.notDeclared}
        </dd>
        <dt>{m.traceCode}</dt>
        <dd>
          {batch.lotNumber} · <a href={page}>{page}</a>
        </dd>
        <dt>{m.brand}</dt>
        <dd>{[product?.brand, origin.serial ? `${m.serial} ${origin.serial}` : null].filter(Boolean).join('; ') || m.notDeclared}</dd>
        <dt>{m.shelfLife}</dt>
        <dd>{expiryDate ? `${formatDate(expiryDate, m)} (${m.asPrinted})` : m.notDeclared}</dd>
        <dt>{m.standards}</dt>
        <dd>{standards.length ? standards.join('; ') : m.notDeclared}</dd>
      </dl>

      <h2>{m.machineReadable}</h2>
      <p class="small">
        <a href={`${page}?linkType=linkset`}>{m.linksetLink}</a> · <a href={bundleUrl}>JSON</a>
      </p>
    </>
  );

  return renderDocument(
    lang,
    m,
    { title: `${name} · ${m.lot} ${batch.lotNumber}`, description, canonical: page, image: hero?.absolute ?? null, jsonLd, ogType: 'product', linkset: `${page}?linkType=linkset`, self },
    body,
    ORIGIN_PAGE_SCRIPT,
  );
}

function uniqueById(org: OrganizationRecord, index: number, all: OrganizationRecord[]): boolean {
  return all.findIndex((o) => o.id === org.id) === index;
}

function uniqueOrgs(orgs: Array<OrganizationRecord | null>): OrganizationRecord[] {
  return orgs.filter((o): o is OrganizationRecord => o !== null).filter(uniqueById);
}
