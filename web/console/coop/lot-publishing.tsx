import { useState } from 'preact/hooks';
import { readableDateTime } from '../local-time.js';
import { FailureNotice, useAction, useCoop, useMessages } from './coop-context.js';
import { originPath, type Lot } from './lot-display.js';
import { COMMON_MESSAGES } from './messages/common.js';
import { LOTS_MESSAGES } from './messages/lots.js';

/**
 * Publish or unpublish the lot, and its origin page once published. Only admins of the lot's owner
 * may publish: an operator's button stays, and the server's refusal is shown as it is.
 */
export function LotPublishing({ lot, ours, onChanged }: { lot: Lot; ours: boolean; onChanged: () => void }) {
  const m = useMessages(LOTS_MESSAGES);
  const { locale } = useMessages(COMMON_MESSAGES);
  const { session } = useCoop();
  const action = useAction();
  const [done, setDone] = useState('');

  const toggle = async () => {
    setDone('');
    const changed = await action.run<Lot>(`/api/v1/batches/${encodeURIComponent(lot.id)}/${lot.published ? 'unpublish' : 'publish'}`, { method: 'POST' });
    if (!changed) return;
    setDone(changed.published ? m.nowPublished : m.nowUnpublished);
    onChanged();
  };

  return (
    <section aria-labelledby="publishing-heading">
      <h2 id="publishing-heading">{m.publishing}</h2>
      <p id="publication-state">{lot.published && lot.publishedAt ? m.publishedSince(readableDateTime(lot.publishedAt, locale)) : m.notPublishedYet}</p>
      {session.role !== 'admin' || !ours ? <p class="small">{m.publishAdminsOnly}</p> : null}
      <div class="actions">
        {ours ? (
          <button type="button" id="publish-toggle" class={lot.published ? undefined : 'primary'} disabled={action.busy} aria-busy={action.busy} onClick={toggle}>
            {lot.published ? m.unpublish : m.publish}
          </button>
        ) : null}
        {lot.published ? (
          <a class="button" id="origin-link" href={originPath(lot)} target="_blank" rel="noopener">
            {m.originPage}
          </a>
        ) : null}
      </div>
      <FailureNotice failure={action.failure} />
      <p role="status" class={done ? 'ok' : undefined}>
        {done}
      </p>
    </section>
  );
}
