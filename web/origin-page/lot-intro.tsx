import { toOffsetTime } from '../../api/src/domain/event-model.js';
import { renditionUrl } from '../../api/src/media/rendition-urls.js';
import { CertificateSummary } from './certificates.js';
import { formatDate, formatNumber } from './format.js';
import type { LotView } from './lot-view.js';
import { PlotMap } from './plot-map.js';
import { BuyLinks } from './product-page.js';

/** The product's photo as a small square beside its name: sized, not lazy (it is on the first screen). */
function Thumbnail({ renditions, alt }: { renditions: LotView['photo']; alt: string }) {
  if (!renditions.length) return null;
  const sorted = [...renditions].sort((a, b) => a.width - b.width);
  return (
    <img
      class="thumb"
      src={renditionUrl('', sorted[0]!.sha256)}
      srcSet={sorted.slice(0, 2).map((r) => `${renditionUrl('', r.sha256)} ${r.width}w`).join(', ')}
      sizes="80px"
      width={80}
      height={80}
      alt={alt}
    />
  );
}

/**
 * The first screen of a lot's page, at 360×740: what it is, whether its record checks out, where
 * it was grown (province, communes, a small map), who made it, its certificates with their
 * validity, and a price and a buy button for each shop.
 */
export function LotIntro({ view }: { view: LotView }) {
  const { origin, m, story } = view;
  const { verification, product } = origin;
  const checkedOn = formatDate(toOffsetTime(verification.checkedAt), m);
  const hasCertificates = story.certificates.length > 0 || Boolean(product?.ocopStars);
  return (
    <section class="intro" aria-labelledby="title">
      <div class="title-row">
        <Thumbnail renditions={view.photo} alt={view.name} />
        <div>
          <h1 id="title">{view.name}</h1>
          {product?.brand ? <p class="small">{product.brand}</p> : null}
        </div>
      </div>

      <div class={`badge ${verification.valid ? 'ok' : 'bad'}`} id="badge">
        <strong>{verification.valid ? `✓ ${m.checkedMatch}` : `⚠ ${m.checkedNoMatch}`}</strong>
        <span>
          {verification.valid ? m.checkedLine(verification.events, verification.signers, checkedOn) : m.noMatchLine} · <a href="#verify-details">{m.howChecked}</a>
        </span>
      </div>

      <dl class="key">
        <div class="where">
          <dt>{m.where}</dt>
          <dd>
            {story.plots.length ? <PlotMap plots={story.plots} caption={m.mapCaption(story.plots.length)} mini /> : null}
            <strong class="province">{view.provinces.join(', ')}</strong>
            {view.communes.length ? <span> · {view.communes.join(', ')}</span> : null}
            {story.plots.length ? (
              <div class="small">
                {m.plotsSummary(story.plots.length, view.areaHa !== null ? formatNumber(view.areaHa, m) : null)} · <a href="#plots">{m.seeMap}</a>
              </div>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{m.who}</dt>
          <dd>
            {view.producers.map((p) => (
              <div key={p.id}>
                <strong class="producer">{p.name}</strong> <span class="small">({m.organizationTypes[p.type] ?? p.type})</span>
              </div>
            ))}
            {view.unnamedHouseholds || view.packer ? (
              <div class="small">
                {[view.unnamedHouseholds ? m.memberHouseholds(view.unnamedHouseholds) : null, view.packer ? `${m.processedBy}: ${view.packer.name}` : null].filter(Boolean).join(' · ')}
              </div>
            ) : null}
          </dd>
        </div>
        {hasCertificates ? (
          <div>
            <dt>{m.certificationsHeading}</dt>
            <dd>
              <CertificateSummary certificates={story.certificates} ocopStars={product?.ocopStars ?? null} m={m} />
            </dd>
          </div>
        ) : null}
      </dl>

      {product && origin.listings.length ? <BuyLinks listings={origin.listings} product={product} m={m} /> : null}
    </section>
  );
}
