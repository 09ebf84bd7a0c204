import { expect } from 'chai';
import {
  canonicalDigitalLink,
  DIGITAL_LINK_RULES,
  lotDigitalLink,
  parseDigitalLink,
  type DigitalLinkError,
  type DigitalLinkRule,
  type ParsedDigitalLink,
} from '../src/domain/gs1/digital-link.js';
import { gs1CheckDigit, hasValidCheckDigit, validateGln, withCheckDigit } from '../src/domain/gs1/keys.js';

const GTIN = '09506000134352';
const BASE = 'https://trace.example.vn';

function parsed(input: string): ParsedDigitalLink {
  const result = parseDigitalLink(input);
  if (!result.ok) expect.fail(`${input} was rejected: ${result.error.rule}: ${result.error.message}`);
  return result.value;
}

function rejected(input: string, rule: DigitalLinkRule): DigitalLinkError {
  const result = parseDigitalLink(input);
  if (result.ok) return expect.fail(`${input} was accepted: ${JSON.stringify(result.value)}`);
  expect(result.error.rule, `${input}: ${result.error.message}`).to.equal(rule);
  expect(result.error.message).to.be.a('string').and.not.equal('');
  return result.error;
}

/** Deterministic digit strings (a small LCG), so failures are reproducible. */
function digitStrings(count: number, length: number): string[] {
  let seed = 20240607;
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let s = '';
    for (let i = 0; i < length; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      s += String(seed % 10);
    }
    out.push(s);
  }
  return out;
}

describe('GS1 Digital Link URI syntax', function () {
  describe('valid URIs', function () {
    it('when a GTIN has lot, serial and an expiry date, then key, qualifiers and attribute are parsed', function () {
      expect(parsed(`/01/${GTIN}/10/ABC123/21/456?17=251231`)).to.deep.equal({
        primaryKey: { ai: '01', value: GTIN },
        qualifiers: [
          { ai: '10', value: 'ABC123' },
          { ai: '21', value: '456' },
        ],
        attributes: [{ ai: '17', value: '251231' }],
        otherParams: {},
      });
    });

    it('when the path is a GLN (/414/…), then the GLN is the primary key without qualifiers', function () {
      expect(parsed('/414/9506000134352')).to.deep.equal({
        primaryKey: { ai: '414', value: '9506000134352' },
        qualifiers: [],
        attributes: [],
        otherParams: {},
      });
    });

    it('when the path is an SSCC (/00/…), then the 18-digit SSCC is the primary key', function () {
      expect(parsed('/00/106141412345678908').primaryKey).to.deep.equal({ ai: '00', value: '106141412345678908' });
    });

    it('when a GTIN has only a serial (/01/…/21/x), then the lot is not required', function () {
      expect(parsed(`/01/${GTIN}/21/x`).qualifiers).to.deep.equal([{ ai: '21', value: 'x' }]);
    });

    it('when a GTIN has all of 22, 10 and 21 in that order, then all three are qualifiers', function () {
      expect(parsed(`/01/${GTIN}/22/2A/10/ABC/21/12345`).qualifiers.map((q) => q.ai)).to.deep.equal(['22', '10', '21']);
    });

    it('when the path has a stem of the resolver before the key, then the stem is ignored', function () {
      expect(parsed(`/products/en/01/${GTIN}/10/L1`).primaryKey).to.deep.equal({ ai: '01', value: GTIN });
      expect(parsed(`/2024/01/${GTIN}`).primaryKey.value).to.equal(GTIN);
    });

    it('when the key is any other GS1 primary key with its qualifier, then it is accepted', function () {
      const ok = [
        '/414/9506000134352/254/1',
        '/417/9506000134352',
        '/8004/9506000134352A-1',
        '/8006/095060001343520102/10/L1',
        '/8010/9506000134/8011/123',
        '/8017/950600013435200008/8019/12',
        '/8018/950600013435200008',
        '/253/9506000134352ABC',
        '/255/95060001343521234',
        '/401/9506000134ABC',
        '/402/95060001343500002',
        '/8003/0950600013435212345',
        '/8013/1987654Ad4X4bL5ttr2310c2K',
        `/01/${GTIN}/235/TPX-1`,
        '/414/9506000134352/7040/1ABC',
      ];
      for (const input of ok) parsed(input);
    });

    it('when the query has data attributes (dates, 7003, 3103 net weight, 30 count), then they are parsed in order', function () {
      const value = parsed(`/01/${GTIN}/10/L1?11=240229&13=250101&15=250200&17=251200&7003=2512312359&3103=001250&30=12`);
      expect(value.attributes).to.deep.equal([
        { ai: '11', value: '240229' },
        { ai: '13', value: '250101' },
        { ai: '15', value: '250200' },
        { ai: '17', value: '251200' },
        { ai: '7003', value: '2512312359' },
        { ai: '3103', value: '001250' },
        { ai: '30', value: '12' },
      ]);
    });

    it('when a lot number is percent-encoded (/10/A%2FB), then the value is decoded to A/B', function () {
      expect(parsed(`/01/${GTIN}/10/A%2FB`).qualifiers).to.deep.equal([{ ai: '10', value: 'A/B' }]);
      expect(parsed(`/01/${GTIN}/10/%28A%29%21%2B`).qualifiers[0]?.value).to.equal('(A)!+');
    });

    it('when the query has linkType=gs1:pip, then it is passed through in otherParams', function () {
      expect(parsed(`/01/${GTIN}?linkType=gs1:pip`).otherParams).to.deep.equal({ linkType: 'gs1:pip' });
      expect(parsed(`/01/${GTIN}/10/L1?linkType=gs1%3Acertification&context=vn&17=251231`)).to.deep.include({
        otherParams: { linkType: 'gs1:certification', context: 'vn' },
        attributes: [{ ai: '17', value: '251231' }],
      });
    });

    it('when the URI has a fragment, then the fragment is ignored', function () {
      expect(parsed(`/01/${GTIN}?17=251231#top`).attributes).to.deep.equal([{ ai: '17', value: '251231' }]);
    });
  });

  describe('rules', function () {
    it('when the input does not start with "/", then the rule is path-syntax', function () {
      rejected(`01/${GTIN}`, 'path-syntax');
    });

    it('when no known primary key is in the path, then the rule is unknown-primary-key', function () {
      expect(rejected('/99/12345', 'unknown-primary-key').segment).to.equal('99');
      expect(rejected(`/02/${GTIN}`, 'unknown-primary-key').segment).to.equal('02');
      rejected('/products/abc', 'unknown-primary-key');
      rejected('/', 'unknown-primary-key');
      rejected('/01', 'unknown-primary-key');
    });

    it('when a key has the wrong length or characters, then the rule is key-format', function () {
      rejected('/00/10614141234567890', 'key-format');
      rejected('/414/95060001343A2', 'key-format');
      rejected('/414/95060001343521', 'key-format');
      rejected(`/01/0950600013435A`, 'key-format');
      rejected('/8010/abc', 'key-format');
      rejected('/8010/95060001%23a', 'key-format');
      rejected(`/8004/${'A'.repeat(31)}`, 'key-format');
    });

    it('when a GTIN in the path has 8, 12 or 13 digits, then the rule is gtin-length and the 14-digit form is suggested', function () {
      expect(rejected('/01/9506000134352', 'gtin-length').message).to.contain(GTIN);
      rejected('/01/950600013435', 'gtin-length');
      rejected('/01/95060003', 'gtin-length');
    });

    it('when a check digit is wrong, then the rule is check-digit and the expected digit is named', function () {
      expect(rejected('/01/09506000134353', 'check-digit').message).to.contain('expected 2');
      expect(rejected('/00/106141412345678907', 'check-digit').message).to.contain('expected 8');
      expect(rejected('/414/9506000134353', 'check-digit').message).to.contain('expected 2');
      rejected('/8017/950600013435200002', 'check-digit');
      rejected('/8013/1987654Ad4X4bL5ttr2310cXK', 'check-digit');
      rejected(`/01/${GTIN}?02=09506000134353`, 'check-digit');
    });

    it('when a qualifier is not one of the key, then the rule is qualifier-not-allowed', function () {
      expect(rejected(`/01/${GTIN}/254/A`, 'qualifier-not-allowed').segment).to.equal('254');
      rejected('/00/106141412345678908/10/A', 'qualifier-not-allowed');
      rejected('/414/9506000134352/10/A', 'qualifier-not-allowed');
      rejected('/8010/9506000134/8019/1', 'qualifier-not-allowed');
      rejected(`/01/${GTIN}/235/T/21/1`, 'qualifier-not-allowed');
      rejected(`/01/${GTIN}/17/251231`, 'qualifier-not-allowed');
    });

    it('when qualifiers are out of the standard order, then the rule is qualifier-order', function () {
      expect(rejected(`/01/${GTIN}/21/456/10/ABC123`, 'qualifier-order').segment).to.equal('10');
      rejected(`/01/${GTIN}/10/A/22/B`, 'qualifier-order');
      rejected('/8006/095060001343520102/21/1/22/2', 'qualifier-order');
    });

    it('when an AI appears twice in the path or the query, then the rule is duplicate-ai', function () {
      rejected(`/01/${GTIN}/10/A/10/B`, 'duplicate-ai');
      rejected(`/01/${GTIN}?17=251231&17=251230`, 'duplicate-ai');
      rejected(`/01/${GTIN}?01=${GTIN}`, 'duplicate-ai');
      rejected('/414/9506000134352?414=9506000134352', 'duplicate-ai');
    });

    it('when a value is outside its character set, then the rule is ai-charset', function () {
      rejected(`/01/${GTIN}/10/AB%20C`, 'ai-charset');
      rejected(`/01/${GTIN}/10/L%C3%B4`, 'ai-charset');
      rejected(`/01/${GTIN}/21/a~b`, 'ai-charset');
      rejected(`/01/${GTIN}?3103=00125a`, 'ai-charset');
      rejected(`/01/${GTIN}?7002=a%7Eb`, 'ai-charset');
    });

    it('when a value is longer or shorter than its AI allows, then the rule is ai-length', function () {
      rejected(`/01/${GTIN}/10/${'A'.repeat(21)}`, 'ai-length');
      parsed(`/01/${GTIN}/10/${'A'.repeat(20)}`);
      rejected(`/01/${GTIN}?17=2512`, 'ai-length');
      rejected(`/01/${GTIN}?3103=12345`, 'ai-length');
      rejected(`/01/${GTIN}?30=123456789`, 'ai-length');
      rejected(`/01/${GTIN}?17=`, 'ai-length');
      rejected('/8010/9506000134/8011/1234567890123', 'ai-length');
    });

    it('when a value breaks another format rule of its AI, then the rule is ai-format', function () {
      rejected('/8006/095060001343520302', 'ai-format');
      rejected('/8010/9506000134/8011/0123', 'ai-format');
      rejected('/8003/1950600013435212345', 'ai-format');
    });

    it('when a key qualifier of the key is in the query, then the rule is qualifier-in-query', function () {
      expect(rejected(`/01/${GTIN}?10=ABC`, 'qualifier-in-query').segment).to.equal('10');
      rejected(`/01/${GTIN}/10/ABC?21=1`, 'qualifier-in-query');
      rejected(`/01/${GTIN}?22=X`, 'qualifier-in-query');
      rejected('/414/9506000134352?254=1', 'qualifier-in-query');
    });

    it('when a numeric query key is not a GS1 data attribute, then the rule is not-a-data-attribute', function () {
      rejected('/00/106141412345678908?21=1', 'not-a-data-attribute');
      rejected(`/01/${GTIN}?19=1`, 'not-a-data-attribute');
      rejected(`/01/${GTIN}?8011=1`, 'not-a-data-attribute');
      parsed('/00/106141412345678908?10=LOT1');
    });

    it('when a numeric query key is not 2 to 4 digits, then the rule is query-ai-shape', function () {
      rejected(`/01/${GTIN}?5=1`, 'query-ai-shape');
      rejected(`/01/${GTIN}?31030=000500`, 'query-ai-shape');
    });

    it('when a date or time does not exist, then the rule is invalid-date', function () {
      rejected(`/01/${GTIN}?17=250230`, 'invalid-date');
      rejected(`/01/${GTIN}?17=251301`, 'invalid-date');
      rejected(`/01/${GTIN}?11=250229`, 'invalid-date');
      parsed(`/01/${GTIN}?11=240229`);
      rejected(`/01/${GTIN}?17=251232`, 'invalid-date');
      rejected(`/01/${GTIN}?7003=2512312460`, 'invalid-date');
      rejected(`/01/${GTIN}?7003=2512002359`, 'invalid-date');
      rejected(`/01/${GTIN}?7006=250100`, 'invalid-date');
    });

    it('when day 00 is used for an expiry or best-before date, then it is accepted as the end of the month', function () {
      expect(parsed(`/01/${GTIN}?15=250200&17=251200`).attributes).to.have.length(2);
    });

    it('when the path has an empty segment or a trailing slash, then the rule is empty-segment', function () {
      rejected(`/01//10/ABC`, 'empty-segment');
      rejected(`/01/${GTIN}/`, 'empty-segment');
      rejected(`/01/${GTIN}/10/ABC/`, 'empty-segment');
    });

    it('when an odd number of segments follows the key, then the rule is odd-segments', function () {
      expect(rejected(`/01/${GTIN}/10/ABC/extra`, 'odd-segments').segment).to.equal('extra');
      rejected(`/01/${GTIN}/10`, 'odd-segments');
    });

    it('when percent-encoding is malformed, then the rule is percent-encoding', function () {
      rejected(`/01/${GTIN}/10/A%ZZ`, 'percent-encoding');
      rejected(`/01/${GTIN}?17=25%2`, 'percent-encoding');
    });

    it('when every exported rule name is tried, then each has an input failing with exactly that rule', function () {
      const examples: Record<DigitalLinkRule, string> = {
        'path-syntax': `01/${GTIN}`,
        'percent-encoding': `/01/${GTIN}/10/A%ZZ`,
        'empty-segment': `/01/${GTIN}/`,
        'unknown-primary-key': '/99/12345',
        'gtin-length': '/01/9506000134352',
        'key-format': '/00/12345',
        'check-digit': '/01/09506000134353',
        'odd-segments': `/01/${GTIN}/10/A/x`,
        'qualifier-not-allowed': `/01/${GTIN}/254/A`,
        'qualifier-order': `/01/${GTIN}/21/1/10/A`,
        'qualifier-in-query': `/01/${GTIN}?10=A`,
        'duplicate-ai': `/01/${GTIN}?17=251231&17=251231`,
        'ai-charset': `/01/${GTIN}/10/A%20B`,
        'ai-length': `/01/${GTIN}?3103=1`,
        'ai-format': '/8006/095060001343520302',
        'invalid-date': `/01/${GTIN}?17=250230`,
        'not-a-data-attribute': `/01/${GTIN}?19=1`,
        'query-ai-shape': `/01/${GTIN}?123456=1`,
      };
      expect(Object.keys(examples)).to.have.members([...DIGITAL_LINK_RULES]);
      for (const rule of DIGITAL_LINK_RULES) rejected(examples[rule], rule);
    });
  });

  describe('canonical form', function () {
    it('when a parsed URI is printed, then qualifiers follow the standard order, attributes are sorted and params kept', function () {
      const value = parsed(`/shop/01/${GTIN}/10/A%2FB?linkType=gs1:pip&3103=000500&17=251231`);
      expect(canonicalDigitalLink(`${BASE}/`, value)).to.equal(
        `${BASE}/01/${GTIN}/10/A%2FB?17=251231&3103=000500&linkType=gs1:pip`,
      );
      const shuffled: ParsedDigitalLink = {
        ...parsed(`/01/${GTIN}/22/V/10/L/21/S`),
      };
      shuffled.qualifiers.reverse();
      expect(canonicalDigitalLink(BASE, shuffled)).to.equal(`${BASE}/01/${GTIN}/22/V/10/L/21/S`);
    });

    it('when a value has symbols of character set 82, then exactly those that must be are percent-encoded', function () {
      const path = `/01/${GTIN}/10/A-1.2_3%21%22%25%26%27%28%29%2A/21/%2B%2C%2F%3A%3B%3C%3D%3E%3F`;
      const value = parsed(`/01/${GTIN}/10/A-1.2_3!%22%25%26'()*/21/%2B%2C%2F%3A%3B%3C%3D%3E%3F`);
      expect(value.qualifiers.map((q) => q.value)).to.deep.equal([`A-1.2_3!"%&'()*`, '+,/:;<=>?']);
      expect(canonicalDigitalLink(BASE, value)).to.equal(`${BASE}${path}`);
    });

    it('when a plain lot is printed, then the canonical form equals the lotDigitalLink builder', function () {
      const lot = { gtin: GTIN, lotNumber: 'LOT-2024.01_A', code: 'x' };
      expect(canonicalDigitalLink(BASE, parsed(`/01/${GTIN}/10/LOT-2024.01_A`))).to.equal(lotDigitalLink(BASE, lot));
      const built = new URL(lotDigitalLink(BASE, { ...lot, lotNumber: 'A/B(1)' }));
      expect(parsed(built.pathname).qualifiers[0]?.value).to.equal('A/B(1)');
    });

    it('when inputs are parsed, printed and parsed again, then the result is the same (round trip)', function () {
      const inputs = [
        `/01/${GTIN}/10/ABC123/21/456?17=251231`,
        `/products/01/${GTIN}/22/2A/10/A%2FB/21/%28x%29?linkType=gs1:pip&3103=000500&15=250200`,
        '/414/9506000134352/254/1',
        '/00/106141412345678908?10=L%25&400=PO%2F1',
        '/8013/1987654Ad4X4bL5ttr2310c2K',
        '/8010/9506000134/8011/123',
        `/01/${GTIN}?context=a%20b%26c&linkType=gs1%3Atraceability&7003=2512312359`,
        `/01/${GTIN}/21/a+b?q=1+2`,
      ];
      for (const input of inputs) {
        const once = parsed(input);
        const printed = canonicalDigitalLink(BASE, once);
        const twice = parsed(new URL(printed).pathname + new URL(printed).search);
        expect(twice, `${input} → ${printed}`).to.deep.equal({
          ...once,
          attributes: [...once.attributes].sort((a, b) => (a.ai < b.ai ? -1 : 1)),
        });
        expect(canonicalDigitalLink(BASE, twice), printed).to.equal(printed);
      }
    });
  });

  describe('check digits agree with domain/gs1/keys.ts', function () {
    it('when GTIN-14, GLN and SSCC bodies get their digit from withCheckDigit, then the parser accepts them', function () {
      for (const body of digitStrings(50, 13)) parsed(`/01/${withCheckDigit(body)}`);
      for (const body of digitStrings(50, 12)) {
        const gln = withCheckDigit(body);
        expect(validateGln(gln).ok).to.equal(true);
        parsed(`/414/${gln}`);
      }
      for (const body of digitStrings(50, 17)) parsed(`/00/${withCheckDigit(body)}`);
    });

    it('when the check digit is wrong, then the parser names the digit gs1CheckDigit computes', function () {
      for (const body of digitStrings(50, 13)) {
        const expected = gs1CheckDigit(body);
        const wrong = `${body}${(expected + 1) % 10}`;
        expect(rejected(`/01/${wrong}`, 'check-digit').message).to.contain(`expected ${expected}`);
      }
    });

    it('when any 14-digit string is a GTIN, then the parser accepts it exactly when hasValidCheckDigit does', function () {
      for (const candidate of digitStrings(200, 14)) {
        expect(parseDigitalLink(`/01/${candidate}`).ok, candidate).to.equal(hasValidCheckDigit(candidate));
      }
    });
  });
});
