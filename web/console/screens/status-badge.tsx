import type { ConsoleMessages } from '../messages.js';
import type { EntryState } from '../outbox.js';

export function StatusBadge({ m, state }: { m: ConsoleMessages; state: EntryState }) {
  return <span class={`badge ${state}`}>{m.status[state]}</span>;
}
