import type { FarmRecords } from '../farm-records.js';
import { readableDay } from '../local-time.js';
import type { ConsoleMessages } from '../messages.js';
import type { OutboxEntry } from '../outbox.js';
import { ScreenHeading } from './screen-heading.js';
import { StatusBadge } from './status-badge.js';

interface Props {
  m: ConsoleMessages;
  records: FarmRecords;
  entries: OutboxEntry[];
}

/** Links to the three farmer tasks, the sync state, and the farm's plots and recent lots. */
export function HomeScreen({ m, records, entries }: Props) {
  const queued = entries.filter((e) => e.status === 'queued' || e.status === 'sending').length;
  const failed = entries.filter((e) => e.status === 'failed').length;
  return (
    <>
      <ScreenHeading>{m.homeHeading}</ScreenHeading>
      <a class="button primary big" href="#/harvest">
        {m.recordHarvest}
      </a>
      <a class="button big" href="#/step">
        {m.addStep}
      </a>
      <a class="button big" href="#/plot">
        {m.registerPlot}
      </a>
      <p>
        <a href="#/sync" id="sync-summary">
          {m.syncLink}: {m.syncSummary(queued, failed)}
        </a>
      </p>

      <h2>{m.myBatches}</h2>
      {records.batches.length ? (
        <ul class="plain" id="batches">
          {records.batches.slice(0, 20).map((b) => (
            <li key={b.id}>
              <strong>{b.product}</strong>
              {b.status ? <StatusBadge m={m} status={b.status} /> : null}
              <br />
              <span class="small">
                {[b.lotNumber, `${b.quantity.value.toLocaleString(m.locale)} ${m.units[b.quantity.unit]}`, b.harvestedAt && readableDay(b.harvestedAt, m.locale)].filter(Boolean).join(' · ')}
              </span>
              {b.published && b.digitalLink ? (
                <>
                  {' · '}
                  <a href={new URL(b.digitalLink).pathname}>{m.originPage}</a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{m.noBatches}</p>
      )}

      <h2>{m.myPlots}</h2>
      {records.plots.length ? (
        <ul class="plain" id="plots">
          {records.plots.map((p) => (
            <li key={p.id}>
              <strong>{p.name}</strong>
              {p.status ? <StatusBadge m={m} status={p.status} /> : null}
              {p.areaHa !== null ? <span class="small"> · {m.hectares(p.areaHa)}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{m.noPlots}</p>
      )}
    </>
  );
}
