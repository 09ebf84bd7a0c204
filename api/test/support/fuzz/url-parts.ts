/**
 * Percent-encoding of any JS string, lone surrogates included (they go out as the UTF-8 bytes of
 * U+FFFD, as a browser would send them), so every generated value makes a legal request target.
 */
export function percentEncoded(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}
