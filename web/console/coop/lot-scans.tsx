import type { ScanReport } from '../../../api/src/modules/scans/schema.js';
import { useState } from 'preact/hooks';
import { readableDay } from '../local-time.js';
import { coopGet, LoadedView, useLoad, useMessages } from './coop-context.js';
import { COMMON_MESSAGES } from './messages/common.js';
import { LOTS_MESSAGES, type LotsMessages } from './messages/lots.js';

type ClientType = keyof LotsMessages['clientTypes'];


const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;
/** The API counts scans by whole days of Vietnam time (UTC+7), wherever the office's clock is set. */
const SCAN_DAY_OFFSET_MS = 7 * 3_600_000;

const vietnamDay = (daysAgo = 0) => new Date(Date.now() + SCAN_DAY_OFFSET_MS - daysAgo * DAY_MS).toISOString().slice(0, 10);

/** Every day from `from` to `to` (YYYY-MM-DD, inclusive) with its count, zero where nothing was scanned. */
function everyDay(report: ScanReport): Array<{ day: string; count: number }> {
  const counts = new Map(report.byDay.map((d) => [d.day, d.count]));
  const days: Array<{ day: string; count: number }> = [];
  for (let t = Date.parse(`${report.from}T00:00:00Z`); t <= Date.parse(`${report.to}T00:00:00Z`); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.push({ day, count: counts.get(day) ?? 0 });
  }
  return days;
}

/** How often buyers opened the lot's origin page: the total, by kind of device, and by day, for a chosen period (30 days by default). */
export function LotScans({ lotId }: { lotId: string }) {
  const m = useMessages(LOTS_MESSAGES);
  const [range, setRange] = useState({ from: vietnamDay(DEFAULT_DAYS - 1), to: vietnamDay() });
  const [draft, setDraft] = useState(range);
  const report = useLoad(`scans:${lotId}:${range.from}:${range.to}`, (coop) =>
    coopGet<ScanReport>(coop, `/api/v1/batches/${encodeURIComponent(lotId)}/scans?${new URLSearchParams(range)}`),
  );

  return (
    <section aria-labelledby="scans-heading">
      <h2 id="scans-heading">{m.scansHeading}</h2>
      <form
        class="row end"
        onSubmit={(e) => {
          e.preventDefault();
          setRange(draft);
        }}
      >
        <div>
          <label for="scans-from">{m.scansFrom}</label>
          <input id="scans-from" type="date" required max={draft.to} value={draft.from} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
        </div>
        <div>
          <label for="scans-to">{m.scansTo}</label>
          <input id="scans-to" type="date" required min={draft.from} value={draft.to} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
        </div>
        <div>
          <button type="submit">{m.showScans}</button>
        </div>
      </form>
      <LoadedView loaded={report}>{(r) => <ScanFigures report={r} />}</LoadedView>
    </section>
  );
}

function ScanFigures({ report }: { report: ScanReport }) {
  const m = useMessages(LOTS_MESSAGES);
  const { locale } = useMessages(COMMON_MESSAGES);
  const days = everyDay(report);
  const highest = Math.max(1, ...days.map((d) => d.count));
  const barWidth = 10;
  return (
    <div id="scan-figures">
      <p>
        <strong id="scans-total">{m.scansTotal(report.total, readableDay(report.from, locale), readableDay(report.to, locale))}</strong>
      </p>
      <ul class="figures small-figures" id="scans-by-client">
        {(Object.keys(m.clientTypes) as ClientType[]).map((type) => (
          <li key={type} data-client-type={type}>
            <strong>{(report.byClientType[type] ?? 0).toLocaleString(locale)}</strong> {m.clientTypes[type]}
          </li>
        ))}
      </ul>
      <h3>{m.scansByDay}</h3>
      <svg class="scan-chart" role="img" aria-label={m.scansChartLabel(report.total, days.length)} viewBox={`0 0 ${days.length * barWidth} 100`} preserveAspectRatio="none">
        {days.map((d, i) => {
          const height = (d.count / highest) * 96;
          return <rect key={d.day} x={i * barWidth + 1} y={100 - height} width={barWidth - 2} height={height} />;
        })}
      </svg>
      {report.byDay.length ? (
        <div class="table-scroll">
          <table class="data" id="scans-by-day">
            <thead>
              <tr>
                <th scope="col">{m.day}</th>
                <th scope="col">{m.count}</th>
              </tr>
            </thead>
            <tbody>
              {report.byDay.map((d) => (
                <tr key={d.day}>
                  <td class="date">{readableDay(d.day, locale)}</td>
                  <td>{d.count.toLocaleString(locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{m.noScans}</p>
      )}
    </div>
  );
}
