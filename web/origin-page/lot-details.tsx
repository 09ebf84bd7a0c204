import { lotUri } from '../../api/src/domain/event-model.js';
import { locationDigitalLink } from '../../api/src/domain/gs1/digital-link.js';
import type { OrganizationRecord } from '../../api/src/store/port.js';
import { nameOf } from '../vocabulary-names.js';
import { CertificateItem } from './certificates.js';
import { formatDate, formatDateTime, formatQuantity, gs1Date } from './format.js';
import { Fact } from './layout.js';
import type { LotView } from './lot-view.js';

export function addressLine(org: OrganizationRecord | null): string {
  if (!org) return '';
  return [org.address.street, org.address.commune, org.address.province].filter(Boolean).join(', ');
}

/** Where the record is explained and re-checked in the buyer's own browser, with the signed record to download. */
export function LotVerification({ view }: { view: LotView }) {
  const { m, origin } = view;
  const { batch, verification, publicBaseUrl: base } = origin;
  return (
    <section aria-labelledby="verify-details">
      <h2 id="verify-details">{m.verifyHeading}</h2>
      <p>{m.checkExplain}</p>
      <button
        type="button"
        id="recheck"
        hidden
        data-bundle={`/api/v1/batches/${batch.id}/provenance`}
        data-lot={lotUri(batch)}
        data-checking={m.rechecking}
        data-ok={m.recheckMatch(verification.events)}
        data-fail={m.recheckNoMatch}
        data-error={m.recheckError}
      >
        {m.recheck}
      </button>
      <output id="recheck-result" aria-live="polite" />
      {verification.problems.length ? (
        <details>
          <summary>{m.problemsHeading}</summary>
          <ul class="small">
            {verification.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <p class="small">
        <a href={`${base}/api/v1/batches/${batch.id}/provenance`}>{m.verifyOffline}</a> · <a href={`${base}/.well-known/jwks.json`}>{m.publicKeys}</a>
      </p>
    </section>
  );
}

/** Every certificate in full: number, issuer and the plot it covers. */
export function LotCertificates({ view }: { view: LotView }) {
  const { m, story, origin } = view;
  const ocop = origin.product?.ocopStars;
  if (!story.certificates.length && !ocop) return null;
  return (
    <section aria-labelledby="certifications">
      <h2 id="certifications">{m.certificationsHeading}</h2>
      <ul class="plain">
        {ocop ? (
          <li>
            <strong>{m.ocopStars(ocop)}</strong>
            <div class="small">{m.ocopNote}</div>
          </li>
        ) : null}
        {story.certificates.map((c, i) => (
          <CertificateItem key={i} cert={c} m={m} />
        ))}
      </ul>
    </section>
  );
}

/**
 * The codes a trader or an inspector needs, folded away from the story: lot number, GTIN, each
 * step's location and product codes, the plots' GLNs, the minimum data of Circular
 * 02/2024/TT-BKHCN and the machine-readable links.
 */
export function LotTechnicalDetails({ view }: { view: LotView }) {
  const { m, origin, story, page } = view;
  const { batch, product, publicBaseUrl: base } = origin;
  const { owner } = view;
  const resolvable = new Set(Object.values(origin.organizations).flatMap((o) => (o.gln && o.type !== 'farm_household' ? [o.gln] : [])));
  // The folded steps, so a warehouse's hourly checks are one line here too.
  const coded = story.stages.flatMap((g) => g.steps).filter((s) => s.gln || s.lots.length);
  const expiry = origin.attributes.find((a) => a.ai === '17' || a.ai === '15');
  const expiryDate = expiry ? gs1Date(expiry.value) : null;
  const harvest = story.harvest ? (story.harvest.from === story.harvest.to ? formatDate(story.harvest.from, m) : `${formatDate(story.harvest.from, m)} – ${formatDate(story.harvest.to, m)}`) : null;
  const packing = story.steps.findLast((s) => s.stepType === 'packing');
  const standards = [...new Set(story.certificates.map((c) => nameOf(m.certificationSchemes, c.scheme)))];
  if (product?.ocopStars) standards.push(m.ocopStars(product.ocopStars));
  const responsible = [...view.producers, ...(view.packer ? [view.packer] : [])];
  return (
    <section aria-labelledby="technical">
      <details class="technical">
        <summary>
          <h2 id="technical">{m.technicalDetails}</h2>
        </summary>
        <dl class="facts">
          <dt>{m.lot}</dt>
          <dd>{batch.lotNumber}</dd>
          <Fact label={m.gtin}>{batch.gtin}</Fact>
          <Fact label={m.serial}>{origin.serial}</Fact>
          <Fact label={m.harvest}>{harvest}</Fact>
          <dt>{m.quantity}</dt>
          <dd>{formatQuantity(batch.quantity, m)}</dd>
        </dl>

        {coded.length ? (
          <>
            <h3>{m.stepCodes}</h3>
            <ol class="codes small">
              {coded.map((s) => (
                <li key={s.eventID}>
                  {nameOf(m.steps, s.stepType)} · {formatDateTime(s.eventTime, m)}
                  {s.repeats > 1 ? ` (${m.repeated(s.repeats)})` : null}
                  {s.gln ? (
                    <>
                      {' · '}
                      {m.locationCode} {resolvable.has(s.gln) ? <a href={locationDigitalLink('', s.gln)}>{s.gln}</a> : s.gln}
                    </>
                  ) : null}
                  {s.lots.length ? ` · ${m.productCode} ${s.lots.join('; ')}` : null}
                </li>
              ))}
            </ol>
          </>
        ) : null}

        {story.plots.some((p) => p.gln) ? (
          <>
            <h3>{m.plotCodes}</h3>
            <ul class="codes small">
              {story.plots
                .filter((p) => p.gln)
                .map((p) => (
                  <li key={p.gln}>
                    {/* The plot feeds this published lot, so its GLN resolves to the plot's own page. */}
                    {p.name} · GLN <a href={locationDigitalLink('', p.gln!)}>{p.gln}</a>
                  </li>
                ))}
            </ul>
          </>
        ) : null}

        <h3>{m.minimumHeading}</h3>
        <p class="small">{m.minimumNote}</p>
        <dl class="facts minimum">
          <dt>{m.productName}</dt>
          <dd>{view.name}</dd>
          <dt>{m.image}</dt>
          <dd>{view.photo.length ? m.imageShown : m.imageMissing}</dd>
          <dt>{m.producers}</dt>
          <dd>{responsible.map((p) => p.name).join('; ') || (owner?.name ?? m.notDeclared)}</dd>
          <dt>{m.producerAddress}</dt>
          <dd>{responsible.map(addressLine).join('; ') || m.notDeclared}</dd>
          <dt>{m.stages}</dt>
          <dd>{m.stagesValue(story.steps.length)}</dd>
          <dt>{m.productionTime}</dt>
          <dd>{[harvest ? `${m.harvest}: ${harvest}` : null, packing ? `${m.steps.packing}: ${formatDate(packing.eventTime, m)}` : null].filter(Boolean).join('; ') || m.notDeclared}</dd>
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

        <h3>{m.machineReadable}</h3>
        <p class="small">
          <a href={`${page}?linkType=linkset`}>{m.linksetLink}</a> · <a href={`${base}/api/v1/batches/${batch.id}/provenance`}>JSON</a>
        </p>
      </details>
    </section>
  );
}
