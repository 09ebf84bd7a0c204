import { useEffect, useState } from 'preact/hooks';
import type { ConsoleMessages } from '../messages.js';
import type { OutboxEntry, OutboxError } from '../outbox.js';
import { problemSummary } from '../problem-messages.js';
import { nameOf } from '../../vocabulary-names.js';
import { ScreenHeading } from './screen-heading.js';
import { StatusBadge } from './status-badge.js';

interface Props {
  m: ConsoleMessages;
  entries: OutboxEntry[];
  online: boolean;
  retryAt: number | null;
  onSendNow: () => void;
  onRemove: (seq: number) => void;
}

function describe(m: ConsoleMessages, entry: OutboxEntry): string {
  const body = (entry.json ?? {}) as { name?: string; product?: string; lotNumber?: string; type?: string };
  const step = body.type ? nameOf(m.stepTypes, body.type) : undefined;
  return [body.name, body.product, body.lotNumber, step, entry.photoName].filter(Boolean).join(' · ');
}

function errorText(m: ConsoleMessages, error: OutboxError): string {
  if (error.kind === 'network') return m.networkError;
  if (error.kind === 'dependency') return m.dependsOnFailed;
  return problemSummary(error.problem, m.lang);
}

/** Every write recorded on this phone, newest first, with its sync status and, when it failed, the server's reason in the farmer's language. */
export function SyncScreen({ m, entries, online, retryAt, onSendNow, onRemove }: Props) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const waiting = entries.filter((e) => e.status === 'queued' || e.status === 'sending').length;
  const failed = entries.filter((e) => e.status === 'failed').length;
  const secondsToRetry = retryAt ? Math.max(0, Math.ceil((retryAt - Date.now()) / 1000)) : null;

  return (
    <>
      <ScreenHeading>{m.syncHeading}</ScreenHeading>
      <p id="sync-state">
        {m.syncSummary(waiting, failed)}
        {waiting && secondsToRetry !== null ? ` (${m.nextTry(secondsToRetry)})` : ''}
      </p>
      <div class="actions">
        <button type="button" class="primary" onClick={onSendNow} disabled={!online || waiting === 0}>
          {m.sendNow}
        </button>
      </div>
      {entries.length ? (
        <ul class="plain" id="outbox">
          {[...entries].reverse().map((entry) => (
            <li key={entry.seq} data-status={entry.status}>
              <strong>{m.kinds[entry.kind]}</strong>
              <StatusBadge m={m} status={entry.status} />
              <br />
              <span class="small">{describe(m, entry)}</span>
              {entry.lastError && entry.status !== 'synced' ? <p class={entry.status === 'failed' ? 'error' : 'note'}>{errorText(m, entry.lastError)}</p> : null}
              {entry.status === 'failed' ? (
                <button type="button" onClick={() => onRemove(entry.seq)}>
                  {m.remove}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{m.nothingQueued}</p>
      )}
    </>
  );
}
