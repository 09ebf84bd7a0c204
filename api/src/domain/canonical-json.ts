import canonicalize from 'canonicalize';

/** RFC 8785 (JCS) canonical form of a JSON value. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}
