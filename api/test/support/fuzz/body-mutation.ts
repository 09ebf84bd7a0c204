import fc from 'fast-check';
import { RawNumber, defineKey, hostileJson, hostileKey, type HostileJson } from './hostile-values.js';

/**
 * Mutations of a valid request body: one field replaced, dropped, added or wrapped in an array,
 * so the fuzzer gets past the first check and exercises what runs after it.
 */
export interface BodyMutation {
  kind: 'replace' | 'delete' | 'insert' | 'wrap';
  /** Which value of the body (in depth-first order, modulo their number) the mutation hits. */
  at: number;
  key: string;
  value: HostileJson;
}

export const bodyMutation: fc.Arbitrary<BodyMutation> = fc.record({
  kind: fc.constantFrom('replace', 'delete', 'insert', 'wrap'),
  at: fc.nat(),
  key: hostileKey,
  value: hostileJson,
});

type Container = HostileJson[] | { [key: string]: HostileJson };
interface Slot {
  parent: Container;
  key: string | number;
}

function slotsOf(root: Container): Slot[] {
  // Iterative: bodies may be nested thousands deep.
  const slots: Slot[] = [];
  const pending: Container[] = [root];
  while (pending.length > 0) {
    const parent = pending.pop()!;
    for (const key of Array.isArray(parent) ? parent.keys() : Object.keys(parent)) {
      slots.push({ parent, key });
      const child = (parent as Record<string | number, HostileJson>)[key];
      if (child !== null && typeof child === 'object' && !(child instanceof RawNumber)) pending.push(child);
    }
  }
  return slots;
}

/** `valid` with `mutations` applied in turn (the input is not changed). */
export function mutateBody(valid: HostileJson, mutations: BodyMutation[]): HostileJson {
  // The body sits in a box so that the whole body is a slot like any field.
  const box: { [key: string]: HostileJson } = { body: structuredClone(valid) };
  for (const m of mutations) {
    // The whole body goes last: small indices (which fast-check favours) hit its fields.
    const slots = slotsOf(box);
    slots.push(slots.shift()!);
    const { parent, key } = slots[m.at % slots.length]!;
    const current = (parent as Record<string | number, HostileJson>)[key]!;
    if (m.kind === 'replace') setSlot(parent, key, m.value);
    else if (m.kind === 'wrap') setSlot(parent, key, [current]);
    else if (m.kind === 'insert' && current !== null && typeof current === 'object' && !Array.isArray(current)) defineKey(current as Record<string, HostileJson>, m.key, m.value);
    else if (m.kind === 'insert' && Array.isArray(current)) current.push(m.value);
    else if (m.kind === 'delete' && parent !== box) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    }
  }
  return box.body!;
}

function setSlot(parent: Container, key: string | number, value: HostileJson): void {
  if (Array.isArray(parent)) parent[key as number] = value;
  else defineKey(parent, key as string, value);
}
