import fc from 'fast-check';
import { withCheckDigit } from '../../../src/domain/gs1/keys.js';
import { DIGITAL_LINK_PRIMARY_KEYS } from '../../../src/domain/gs1/ai-table.js';
import { shortHostileString } from './hostile-values.js';
import { percentEncoded } from './url-parts.js';

/**
 * GS1 Digital Link paths and queries near the grammar: real and made-up GTINs (right and wrong
 * check digits, 8 to 15 digits), qualifiers in and out of order, data attributes, linkType values,
 * percent-encoding broken on purpose, and the demo's published lots so some of them resolve.
 */
const PUBLISHED = [
  { gtin: '08936123450014', lot: 'KN-2512-G1' },
  { gtin: '08936123450021', lot: 'KN25R-A' },
  { gtin: '08936123450021', lot: 'KN25R-B' },
];

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

const gtin: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PUBLISHED.map((p) => p.gtin)) },
  { weight: 2, arbitrary: digits(13, 13).map(withCheckDigit) },
  { weight: 1, arbitrary: digits(14, 14) },
  { weight: 1, arbitrary: fc.oneof(digits(7, 13), digits(15, 20)) },
  { weight: 1, arbitrary: fc.constantFrom('0893612345001X', '８９３６１２３４５０００１４', '+8936123450014', ' 8936123450014') },
);

const aiValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PUBLISHED.map((p) => p.lot), 'ABC123', '1', '261231', '000500', 'A%2FB', 'A/B') },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...'!"%&\'()*+,-./0123456789:;<=>?ABCZ_az'), minLength: 1, maxLength: 25 }) },
  { weight: 2, arbitrary: shortHostileString },
);

const segment: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: aiValue.map(percentEncoded) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%C0%AF', '%ED%A0%80', '%FF%FE', '%00', '%2F%2F', '', '..', '.') },
);

const qualifierAi = fc.constantFrom('10', '21', '22', '235', '254', '7040', '8011', '8019', '17', '99', '0', '123456');

const pathPart: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PUBLISHED).map((p) => `/01/${p.gtin}/10/${encodeURIComponent(p.lot)}`) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.oneof({ weight: 4, arbitrary: gtin.map((g) => `/01/${percentEncoded(g)}`) }, { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...DIGITAL_LINK_PRIMARY_KEYS), segment).map(([ai, v]) => `/${ai}/${v}`) }),
        fc.array(fc.tuple(qualifierAi, segment).map(([ai, v]) => `/${ai}/${v}`), { maxLength: 4 }),
        fc.option(fc.constantFrom('/', '/extra', '//'), { freq: 6 }),
        fc.option(fc.constantFrom('/stem', '/a/b/c', '/01/01'), { freq: 6 }),
      )
      .map(([key, qualifiers, tail, stem]) => `${stem ?? ''}${key}${qualifiers.join('')}${tail ?? ''}`),
  },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('AAAAAAAAAA', 'ZZZZZZZZZ1', '0000000000'), shortHostileString.map(percentEncoded)).map((code) => `/l/${code}`) },
);

const queryParam: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('linkType=linkset', 'linkType=all', 'linkType=gs1:pip', 'linkType=gs1:traceability', 'linkType=gs1:certificationInfo', 'linkType=gs1:nope', 'linkType=gs1:', 'linkType=', 'lang=en', 'lang=vi', 'lang=xx'),
  fc.tuple(fc.constantFrom('17', '11', '3103', '10', '21', '99', '7', '12345', 'linkType', 'context', '__proto__', 'constructor'), segment).map(([k, v]) => `${k}=${v}`),
  fc.tuple(shortHostileString.map(percentEncoded), shortHostileString.map(percentEncoded)).map(([k, v]) => `${k}=${v}`),
  fc.constantFrom('&', '=', '==', 'linkType', '%'),
);

/** A request target for the resolver: path and optional query. */
export const digitalLinkTarget: fc.Arbitrary<string> = fc
  .tuple(pathPart, fc.array(queryParam, { maxLength: 4 }))
  .map(([path, query]) => (query.length > 0 ? `${path}?${query.join('&')}` : path));
