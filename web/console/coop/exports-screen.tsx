import { useState } from 'preact/hooks';
import type { ErrorParams } from '../../../api/src/domain/problem-codes.js';
import type { BatchSummary } from '../api-client.js';
import { localDate } from '../local-time.js';
import { exportProblemText } from '../problem-messages.js';
import { ScreenHeading } from '../screens/screen-heading.js';
import { fetchAll, FailureNotice, LoadedView, saveFile, useAction, useCoop, useLoad, useMessages, type Failure } from './coop-context.js';
import { lotFileStem, lotLabel } from './lot-display.js';
import { EXPORTS_MESSAGES } from './messages/exports.js';
import { PRODUCTS_MESSAGES } from './messages/products.js';
import { marketplaceName, type Listing, type Product } from './products-screen.js';

/** The API's export formats (`GET /api/v1/exports/{format}`), in the order the screen shows them. */
const EXPORT_FORMATS = ['google-merchant.xml', 'google-merchant.tsv', 'meta-catalog.csv', 'listings.csv', 'eudr.geojson'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

interface Report {
  format: string;
  written: number;
  /** Each skipped item's reasons as codes (`problems`), shown in the user's language; `reasons` are the server's English. */
  skipped: Array<{ id: string; reasons: string[]; problems: Array<{ code: string; params?: ErrorParams }> }>;
}

interface ExportsData {
  /** What a skipped item's id names: a product, a listing or a plot. */
  names: Map<string, string>;
  lots: BatchSummary[];
}

/** Every export with what it is for, its validation report (written, skipped and why) and its download. */
export function ExportsScreen() {
  const m = useMessages(EXPORTS_MESSAGES);
  const productWords = useMessages(PRODUCTS_MESSAGES);
  const { lang } = useCoop();
  const loaded = useLoad<ExportsData>(`exports:${lang}`, async (coop) => {
    const [products, listings, plots, lots] = await Promise.all([
      fetchAll<Product>(coop, '/api/v1/products'),
      fetchAll<Listing>(coop, '/api/v1/listings'),
      fetchAll<{ id: string; name: string }>(coop, '/api/v1/plots'),
      fetchAll<BatchSummary>(coop, '/api/v1/batches'),
    ]);
    const names = new Map<string, string>();
    for (const p of products) names.set(p.id, (coop.lang === 'en' && p.name.en) || p.name.vi);
    for (const l of listings) names.set(l.id, m.listingOf(names.get(l.productId) ?? l.productId, marketplaceName(productWords, l.marketplace)));
    for (const p of plots) names.set(p.id, p.name);
    return { names, lots };
  });
  return (
    <>
      <ScreenHeading>{m.heading}</ScreenHeading>
      <p>{m.intro}</p>
      <LoadedView loaded={loaded}>
        {(data) => (
          <>
            {EXPORT_FORMATS.map((format) => (
              <ExportSection key={format} format={format} data={data} />
            ))}
          </>
        )}
      </LoadedView>
    </>
  );
}

/** "google-merchant.xml" → "google-merchant-2026-11-25.xml"; an EUDR file for one lot names the lot. */
function fileNameFor(format: ExportFormat, lot: BatchSummary | undefined): string {
  const dot = format.indexOf('.');
  const stem = format.slice(0, dot) + (lot ? `-${lotFileStem(lot)}` : '');
  return `${stem}-${localDate()}${format.slice(dot)}`;
}

function ExportSection({ format, data }: { format: ExportFormat; data: ExportsData }) {
  const m = useMessages(EXPORTS_MESSAGES);
  const coop = useCoop();
  const check = useAction();
  const [report, setReport] = useState<Report | null>(null);
  const [batchId, setBatchId] = useState('');
  const [downloading, setDownloading] = useState(false);
  const [downloadFailure, setDownloadFailure] = useState<Failure | null>(null);
  const [downloaded, setDownloaded] = useState<string | null>(null);
  const id = format.replace('.', '-');
  const query = batchId ? `?batchId=${encodeURIComponent(batchId)}` : '';
  const runCheck = async () => {
    setReport(await check.run<Report>(`/api/v1/exports/${format}/report${query}`, {}));
  };
  const download = async () => {
    const fileName = fileNameFor(format, data.lots.find((l) => l.id === batchId));
    setDownloading(true);
    setDownloaded(null);
    const failure = await saveFile(coop, `/api/v1/exports/${format}${query}`, fileName);
    setDownloading(false);
    setDownloadFailure(failure);
    if (!failure) setDownloaded(m.downloaded(fileName));
  };
  return (
    <section class="export" id={`export-${id}`} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>
        <code>{format}</code>
      </h2>
      <p>{m.formats[format]}</p>
      {format === 'eudr.geojson' ? (
        <>
          <label for="eudr-lot">{m.eudrScope}</label>
          <select
            id="eudr-lot"
            value={batchId}
            onChange={(e) => {
              setBatchId(e.currentTarget.value);
              setReport(null);
              setDownloaded(null);
            }}
          >
            <option value="">{m.allPlots}</option>
            {data.lots.map((l) => (
              <option key={l.id} value={l.id}>
                {lotLabel(l)}
              </option>
            ))}
          </select>
        </>
      ) : null}
      <div class="actions">
        <button type="button" class="check" disabled={check.busy} onClick={runCheck}>
          {check.busy ? m.checking : m.check}
        </button>
        <button type="button" class="primary download" disabled={downloading} onClick={download}>
          {downloading ? m.downloading : m.download}
        </button>
      </div>
      <FailureNotice failure={check.failure} />
      <FailureNotice failure={downloadFailure} />
      <p role="status" class={downloaded ? 'ok' : undefined}>
        {downloaded}
      </p>
      {report ? <ReportView report={report} names={data.names} /> : null}
    </section>
  );
}

function ReportView({ report, names }: { report: Report; names: Map<string, string> }) {
  const m = useMessages(EXPORTS_MESSAGES);
  const { lang } = useCoop();
  return (
    <div class="report">
      <p class={report.written === 0 ? 'written note' : 'written'}>
        <strong>{m.written(report.written)}</strong> {report.skipped.length === 0 ? m.noneSkipped : m.skipped(report.skipped.length)}
      </p>
      {report.skipped.length ? (
        <div class="table-scroll">
          <table class="data skipped">
            <thead>
              <tr>
                <th scope="col">{m.item}</th>
                <th scope="col">{m.reasons}</th>
              </tr>
            </thead>
            <tbody>
              {report.skipped.map((s) => (
                <tr key={s.id} data-id={s.id}>
                  <th scope="row">
                    {names.get(s.id) ?? s.id}
                    {names.has(s.id) ? (
                      <>
                        <br />
                        <small>{s.id}</small>
                      </>
                    ) : null}
                  </th>
                  <td>
                    <ul>
                      {s.problems.map((p, i) => (
                        <li key={i} data-code={p.code}>
                          {exportProblemText(p, lang)}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
