import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleMessages } from '../messages.js';
import type { OutboxItem, OutboxKind } from '../outbox.js';
import { serverReason, type Refusal, type ServerReason } from '../refusal.js';

/**
 * The parts a form shows when it reopens an entry the server refused: the refusal above the
 * form, each reason under the field it names, and a discard button that asks first.
 */
export interface RefusedEntry {
  item: OutboxItem;
  /** The entries held until this one is sent. */
  waiting: OutboxItem[];
  onDiscard: () => void;
}

/** The reasons the server gave about one field, under that field. */
export function FieldReason({ m, reasons, id }: { m: ConsoleMessages; reasons: ServerReason[] | undefined; id: string }) {
  if (!reasons?.length) return null;
  return (
    <p class="error field-reason" id={id}>
      {reasons.map((r, i) => (
        <span key={i}>
          {i ? <br /> : null}
          {serverReason(m, r)}
        </span>
      ))}
    </p>
  );
}

/** `aria-invalid` and `aria-describedby` for a field the server named. */
export function invalidIf(reasons: ServerReason[] | undefined, reasonId: string): Record<string, string> {
  return reasons?.length ? { 'aria-invalid': 'true', 'aria-describedby': reasonId } : {};
}

/** Above the form: that the entry was refused, what the fields do not say, and what waits for it. */
export function RefusedNotice<K extends OutboxKind>({ m, refused, refusal }: { m: ConsoleMessages; refused: RefusedEntry; refusal: Refusal<K> }) {
  const anyField = Object.values(refusal.fields).some((reasons) => (reasons as ServerReason[] | undefined)?.length);
  return (
    <div class="error" id="refusal">
      <strong>{m.status.refused}</strong>
      <p>{anyField ? m.refusedSeeFields : m.refusedNoField}</p>
      {refusal.other.length ? (
        <ul>
          {refusal.other.map((r, i) => (
            <li key={i}>{serverReason(m, r)}</li>
          ))}
        </ul>
      ) : null}
      {refused.waiting.length ? <p>{m.waitingForThis(refused.waiting.map((w) => m.kinds[w.kind]).join(', '))}</p> : null}
    </div>
  );
}

/** Discards a refused entry (and what waits for it) after the farmer confirms. */
export function DiscardButton({ m, waiting, onDiscard }: { m: ConsoleMessages; waiting: number; onDiscard: () => void }) {
  const [asking, setAsking] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  // The question replaces the button that was focused: the focus moves to its safe answer.
  useEffect(() => keep.current?.focus(), [asking]);
  if (!asking) {
    return (
      <button type="button" class="danger" onClick={() => setAsking(true)}>
        {m.discard}
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label={m.discard}>
      <p>{m.discardConfirm(waiting)}</p>
      <div class="actions">
        <button type="button" ref={keep} onClick={() => setAsking(false)}>
          {m.discardNo}
        </button>
        <button type="button" class="danger primary" onClick={onDiscard}>
          {m.discardYes}
        </button>
      </div>
    </div>
  );
}
