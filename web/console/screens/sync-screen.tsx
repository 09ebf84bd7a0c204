import { useEffect, useState } from 'preact/hooks';
import type { ConsoleMessages } from '../messages.js';
import type { OutboxItem } from '../outbox.js';
import { allReasons } from '../refusal.js';
import { DiscardButton } from './refused-entry.js';
import { nameOf } from '../../vocabulary-names.js';
import { ScreenHeading } from './screen-heading.js';
import { StatusBadge } from './status-badge.js';

interface Props {
  m: ConsoleMessages;
  entries: OutboxItem[];
  online: boolean;
  retryAt: number | null;
  onSendNow: () => void;
  onDiscard: (seq: number) => void;
}

function describe(m: ConsoleMessages, entry: OutboxItem): string {
  const body = (entry.json ?? {}) as { name?: string; product?: string; lotNumber?: string; type?: string };
  const step = body.type ? nameOf(m.stepTypes, body.type) : undefined;
  return [body.name, body.product, body.lotNumber, step, entry.photoName].filter(Boolean).join(' · ');
}

/** Why an entry is where it is: the server's reasons for a refusal, what a held entry waits for, why a queued one was not sent yet. */
function Explanation({ m, entry, entries }: { m: ConsoleMessages; entry: OutboxItem; entries: OutboxItem[] }) {
  if (entry.state === 'refused') {
    return (
      <ul class="error">
        {allReasons(m, entry).map((reason, i) => (
          <li key={i}>{reason}</li>
        ))}
      </ul>
    );
  }
  if (entry.state === 'held') {
    const root = entries.find((e) => e.seq === entry.waitsFor);
    return root ? <p class="note">{m.waitsFor(m.kinds[root.kind])}</p> : null;
  }
  if (entry.state === 'synced' || !entry.lastError) return null;
  return <p class="note">{entry.lastError.kind === 'network' ? m.networkError : m.serverBusy}</p>;
}

/** Every write recorded on this phone, newest first, with its state; a refused one can be fixed and sent again, or discarded. */
export function SyncScreen({ m, entries, online, retryAt, onSendNow, onDiscard }: Props) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const count = (...states: string[]) => entries.filter((e) => states.includes(e.state)).length;
  const waiting = count('queued', 'sending');
  const secondsToRetry = retryAt ? Math.max(0, Math.ceil((retryAt - Date.now()) / 1000)) : null;

  return (
    <>
      <ScreenHeading>{m.syncHeading}</ScreenHeading>
      <p id="sync-state">
        {m.syncSummary(waiting, count('refused'), count('held'))}
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
            <li key={entry.seq} data-status={entry.state}>
              <strong>{m.kinds[entry.kind]}</strong>
              <StatusBadge m={m} state={entry.state} />
              <br />
              <span class="small">{describe(m, entry)}</span>
              <Explanation m={m} entry={entry} entries={entries} />
              {entry.state === 'refused' ? (
                <div class="actions">
                  <a class="button primary" href={`#/fix/${entry.seq}`}>
                    {m.fixAndResend}
                  </a>
                  <DiscardButton m={m} waiting={entries.filter((e) => e.waitsFor === entry.seq).length} onDiscard={() => onDiscard(entry.seq)} />
                </div>
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
