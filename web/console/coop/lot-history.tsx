import { useMessages } from './coop-context.js';
import { readableDateTime } from '../local-time.js';
import { orgName, type OrgNames } from './lot-display.js';
import { COMMON_MESSAGES } from './messages/common.js';
import { LOTS_MESSAGES, type LotsMessages } from './messages/lots.js';

/** One event of the lot as GET /api/v1/batches/{id}/steps answers it (the Step schema). */
export interface LotStep {
  id: string;
  eventID: string;
  type: string;
  occurredAt: string;
  orgId: string;
  role: string;
  event: Record<string, unknown>;
}

interface EpcisQuantity {
  quantity?: number;
  uom?: string;
}

/** A photo's smallest public rendition (shown) and its largest (opened). */
interface Photo {
  thumbnail: string;
  full: string;
}

const UOM_UNITS: Record<string, 'kg' | 't'> = { KGM: 'kg', TNE: 't' };

/** The photos media events attach (`ft:mediaDetails`), by the eventID they document ('' for the lot itself). */
function photosByEvent(steps: LotStep[]): Map<string, Photo[]> {
  const out = new Map<string, Photo[]>();
  for (const step of steps) {
    if (step.type !== 'media') continue;
    const target = typeof step.event['ft:attachesTo'] === 'string' ? step.event['ft:attachesTo'] : '';
    const files = (step.event['ft:mediaDetails'] as Array<{ renditions?: Array<{ width: number; sha256: string }> }> | undefined) ?? [];
    const photos = out.get(target) ?? [];
    for (const file of files) {
      const renditions = [...(file.renditions ?? [])].sort((a, b) => a.width - b.width);
      if (renditions.length) photos.push({ thumbnail: renditions[0]!.sha256, full: renditions.at(-1)!.sha256 });
    }
    out.set(target, photos);
  }
  return out;
}

function quantityText(m: LotsMessages, locale: string, list: unknown): string {
  const quantities = ((list as EpcisQuantity[] | undefined) ?? []).filter((q) => typeof q.quantity === 'number');
  return quantities.map((q) => `${q.quantity!.toLocaleString(locale)} ${m.units[UOM_UNITS[q.uom ?? ''] ?? 'kg']}`).join(', ');
}

function placeText(event: Record<string, unknown>): string {
  const name = typeof event['ft:placeName'] === 'string' ? event['ft:placeName'] : '';
  const location = (event.bizLocation as { id?: string } | undefined)?.id ?? '';
  const gln = /\/414\/(\d{13})$/.exec(location)?.[1];
  return [name, gln && `GLN ${gln}`].filter(Boolean).join(' · ');
}

/** The lot's events, oldest first, with the photos attached to each. */
export function LotHistory({ steps, names }: { steps: LotStep[]; names: OrgNames }) {
  const m = useMessages(LOTS_MESSAGES);
  const { locale } = useMessages(COMMON_MESSAGES);
  const photos = photosByEvent(steps);
  const shown = steps.filter((s) => s.type !== 'media');
  const lotPhotos = photos.get('') ?? [];
  if (!shown.length) return <p>{m.noHistory}</p>;
  return (
    <ol class="history" id="lot-history" aria-label={m.historyCaption}>
      {shown.map((step) => {
        const name = m.stepTypes[step.type as keyof LotsMessages['stepTypes']] ?? m.eventTypes[step.type] ?? step.type;
        const input = quantityText(m, locale, step.event.inputQuantityList);
        const output = quantityText(m, locale, step.event.outputQuantityList);
        const place = placeText(step.event);
        const notes = typeof step.event['ft:notes'] === 'string' ? step.event['ft:notes'] : '';
        const stepPhotos = [...(photos.get(step.eventID) ?? []), ...(step.type === 'harvest' ? lotPhotos : [])];
        return (
          <li key={step.id} data-step-type={step.type}>
            <p>
              <strong>{name}</strong> · <time class="date" dateTime={step.occurredAt}>{readableDateTime(step.occurredAt, locale)}</time>
            </p>
            <dl class="summary">
              {place ? (
                <>
                  <dt>{m.place}</dt>
                  <dd>{place}</dd>
                </>
              ) : null}
              {input && output ? (
                <>
                  <dt>{m.quantity}</dt>
                  <dd>{m.quantitiesInOut(input, output)}</dd>
                </>
              ) : null}
              {notes ? (
                <>
                  <dt>{m.notes}</dt>
                  <dd>{notes}</dd>
                </>
              ) : null}
              <dt>{m.organization}</dt>
              <dd>{orgName(m, names, step.orgId)}</dd>
              <dt>{m.role}</dt>
              <dd>{m.roles[step.role] ?? step.role}</dd>
            </dl>
            {stepPhotos.length ? (
              <ul class="photos" aria-label={m.photos}>
                {stepPhotos.map((photo, i) => (
                  <li key={photo.full}>
                    <a href={`/media/${photo.full}.webp`}>
                      <img src={`/media/${photo.thumbnail}.webp`} alt={m.photoAlt(name, i + 1)} width={120} loading="lazy" />
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
