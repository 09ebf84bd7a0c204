/**
 * The character sets of GS1 AI values (GS1 General Specifications §7.11), defined once: the AI
 * table checks values against them and the lot-number rule of our API uses the same set 82.
 */

/** GS1 AI encodable character set 82 (figure 7.11-1). */
export const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;

/** Set 82 in its table order: a character's position is its value in the GMN check character pair. */
export const CSET82_ORDER = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/** How messages name set 82 to people who type values. */
export const CSET82_DESCRIPTION = 'the GS1 character set 82 (letters, digits and !"%&\'()*+,-./:;<=>?_)';

/** Character set 32: the two check characters of a GMN. */
export const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** GS1 AI encodable character set 39 (figure 7.11-2). */
export const CSET39 = /^[#\-/0-9A-Z]*$/;

/** Digital signature values (AI 8030): base64url with optional padding. */
export const BASE64URL = /^[A-Za-z0-9\-_]*={0,2}$/;
