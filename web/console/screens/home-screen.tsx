import type { FarmRecords } from '../farm-records.js';
import { readableDay } from '../local-time.js';
import type { ConsoleMessages } from '../messages.js';
import type { OutboxItem } from '../outbox.js';
import { ScreenHeading } from './screen-heading.js';
import { StatusBadge } from './status-badge.js';

interface Props {
  m: ConsoleMessages;
  records: FarmRecords;
  entries: OutboxItem[];
}

/** A record's outbox state; a refused one is the way to its form. */
function RecordState({ m, record }: { m: ConsoleMessages; record: FarmRecords['plots'][number] | FarmRecords['batches'][number] }) {
  if (!record.status) return null;
  const badge = <StatusBadge m={m} state={record.status} />;
  return record.status === 'refused' && record.seq !== undefined ? <a href={`#/fix/${record.seq}`}>{badge}</a> : badge;
}

/** Links to the three farmer tasks, the sync state, and the farm's plots and recent lots. */
export function HomeScreen({ m, records, entries }: Props) {
  const count = (...states: string[]) => entries.filter((e) => states.includes(e.state)).length;
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
          {m.syncLink}: {m.syncSummary(count('queued', 'sending'), count('refused'), count('held'))}
        </a>
      </p>

      <h2>{m.myBatches}</h2>
      {records.batches.length ? (
        <ul class="plain" id="batches">
          {records.batches.slice(0, 20).map((b) => (
            <li key={b.id}>
              <strong>{b.product}</strong>
              <RecordState m={m} record={b} />
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
              <RecordState m={m} record={p} />
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
