import { useState } from 'preact/hooks';
import { apiFile } from '../api-client.js';
import { NumberField, numberOf } from '../number-field.js';
import { FailureNotice, LoadedView, saveFile, useCoop, useLoad, useMessages, type Failure } from './coop-context.js';
import { lotFileStem, type Lot } from './lot-display.js';
import { LOTS_MESSAGES } from './messages/lots.js';

/** The label sheet's layout (api/src/qr/label-sheet.ts), the default count: one full A4 page. */
const LABELS_PER_PAGE = 24;
/** The most labels one sheet request may ask for (the API's limit). */
const LABEL_COUNT = { whole: true, positive: true, max: 1000 } as const;

/** A blob as a data: URL: the console's CSP allows data: images but not blob: ones. */
function dataUrlOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/**
 * The lot's QR code and its printable label sheet. The code is fetched with the token, so it shows
 * before the lot is published too (the API serves an unpublished lot's code to its own chain).
 */
export function LotCode({ lot }: { lot: Lot }) {
  const m = useMessages(LOTS_MESSAGES);
  const coop = useCoop();
  const base = `/api/v1/batches/${encodeURIComponent(lot.id)}`;
  const qr = useLoad(`qr:${lot.id}`, async ({ session }) => dataUrlOf(await apiFile(`${base}/qr.svg`, session.token)));
  const [count, setCount] = useState(String(LABELS_PER_PAGE));
  const [logo, setLogo] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState('');
  const fileStem = lotFileStem(lot);

  const download = async (path: string, fileName: string, doneMessage = '') => {
    setBusy(true);
    setDone('');
    const failed = await saveFile(coop, path, fileName);
    setFailure(failed);
    if (!failed) setDone(doneMessage);
    setBusy(false);
  };

  const downloadLabels = (event: Event) => {
    event.preventDefault();
    const labels = numberOf(count, coop.lang, LABEL_COUNT);
    if (labels === null) return;
    const query = new URLSearchParams({ count: String(labels), ...(logo ? { logo: '1' } : {}) });
    void download(`${base}/labels.pdf?${query}`, `labels-${fileStem}.pdf`, m.labelsSaved(labels));
  };

  return (
    <section aria-labelledby="code-heading" class="lot-code">
      <h2 id="code-heading">{m.codeHeading}</h2>
      <LoadedView loaded={qr}>{(src) => <img id="lot-qr" src={src} alt={m.qrAlt(lot.lotNumber)} width={160} height={160} />}</LoadedView>
      {lot.published ? null : <p class="note">{m.qrPrivate}</p>}
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => download(`${base}/qr.svg`, `qr-${fileStem}.svg`)}>
          {m.downloadSvg}
        </button>
        <button type="button" disabled={busy} onClick={() => download(`${base}/qr.png?size=1024`, `qr-${fileStem}.png`)}>
          {m.downloadPng}
        </button>
      </div>
      <form id="labels-form" onSubmit={downloadLabels}>
        <NumberField id="label-count" label={m.labelCount} lang={coop.lang} unit="label" rules={LABEL_COUNT} required value={count} onInput={setCount} />
        <label class="choice">
          <input id="label-logo" type="checkbox" checked={logo} onChange={(e) => setLogo(e.currentTarget.checked)} />
          {m.labelLogo}
        </label>
        <div class="actions">
          <button class="primary" type="submit" disabled={busy} aria-busy={busy}>
            {m.downloadLabels}
          </button>
        </div>
      </form>
      <FailureNotice failure={failure} />
      <p role="status" class={done ? 'ok' : undefined}>
        {done}
      </p>
    </section>
  );
}
