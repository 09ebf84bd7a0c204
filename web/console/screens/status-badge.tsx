import type { ConsoleMessages } from '../messages.js';
import type { OutboxStatus } from '../outbox.js';

export function StatusBadge({ m, status }: { m: ConsoleMessages; status: OutboxStatus }) {
  return <span class={`badge ${status}`}>{m.status[status]}</span>;
}
