import { toOffsetTime } from '../../api/src/domain/event-model.js';
import { formatDate } from './format.js';
import type { Certificate } from './lot-story.js';
import type { Messages } from './messages.js';

/** Validity ends with the day in Vietnam, not in UTC. */
function validity(cert: Pick<Certificate, 'validFrom' | 'validTo'>, m: Messages) {
  const today = toOffsetTime(new Date().toISOString()).slice(0, 10);
  if (cert.validTo < today) return <span class="expired">{m.expiredOn(formatDate(cert.validTo, m))}</span>;
  if (cert.validFrom > today) return <span>{m.notYetValid(formatDate(cert.validFrom, m))}</span>;
  return <span class="valid">{m.validUntil(formatDate(cert.validTo, m))}</span>;
}

/** One certificate with its validity (expired ones flagged), as the lot and plot pages list them. */
export function CertificateItem({ cert, m }: { cert: Certificate; m: Messages }) {
  return (
    <li>
      <strong>{m.certificationSchemes[cert.scheme] ?? cert.scheme}</strong>
      {cert.stars ? ` · ${m.ocopStars(cert.stars)}` : ''} — {validity(cert, m)}
      <div class="small">
        {cert.number} · {m.issuedBy} {cert.issuer} · {cert.holder}
      </div>
    </li>
  );
}

/**
 * The certificates in a line each, for the first screen: scheme and validity. Certificates of the
 * same scheme and validity (one per plot, or one group certificate over several plots) are
 * listed once; the full list below names each with its number and plot.
 */
export function CertificateSummary({ certificates, ocopStars, m }: { certificates: Certificate[]; ocopStars: number | null; m: Messages }) {
  const seen = new Set<string>();
  const unique = certificates.filter((c) => {
    const key = `${c.scheme}|${c.validFrom}|${c.validTo}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // The product's own OCOP rating only when no signed OCOP certificate says more.
  const declaredOcop = ocopStars && !unique.some((c) => c.scheme === 'OCOP') ? ocopStars : null;
  return (
    <ul class="certs">
      {declaredOcop ? (
        <li>
          <strong>{m.ocopStars(declaredOcop)}</strong>
        </li>
      ) : null}
      {unique.map((c) => (
        <li key={`${c.scheme}|${c.validFrom}|${c.validTo}`}>
          <strong>{c.stars ? m.ocopStars(c.stars) : (m.certificationSchemes[c.scheme] ?? c.scheme)}</strong> {validity(c, m)}
        </li>
      ))}
    </ul>
  );
}
