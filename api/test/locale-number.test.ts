import { expect } from 'chai';
import fc from 'fast-check';
import { formatLocaleNumber, MAX_DIGITS, parseLocaleNumber, type NumberLang } from '../src/domain/locale-number.js';
import { numberInWords, quantityInWords } from '../src/domain/number-words.js';

const read = (text: string, lang: NumberLang, rules = {}) => parseLocaleNumber(text, lang, rules);

describe('numbers typed in the screens’ languages', () => {
  describe('reading', () => {
    const accepted: Array<[NumberLang, string, number]> = [
      ['vi', '1.250', 1250],
      ['vi', '1.250,5', 1250.5],
      ['vi', '85.000', 85000],
      ['vi', '0,5', 0.5],
      ['vi', ',5', 0.5],
      ['vi', '1250', 1250],
      ['vi', '1250,75', 1250.75],
      ['vi', '1,250', 1.25],
      ['vi', '1.000.000', 1_000_000],
      ['vi', ' 12 ', 12],
      ['vi', '007', 7],
      ['vi', '85.000,00', 85000],
      ['en', '1,250.5', 1250.5],
      ['en', '1,250', 1250],
      ['en', '1.250', 1.25],
      ['en', '0.5', 0.5],
      ['en', '.5', 0.5],
      ['en', '12,345,678.125', 12_345_678.125],
    ];
    for (const [lang, text, value] of accepted) {
      it(`when “${text}” is typed in ${lang}, then it reads ${value}`, () => {
        expect(read(text, lang)).to.deep.equal({ ok: true, value });
      });
    }

    const refused: Array<[NumberLang, string, string]> = [
      ['vi', '', 'empty'],
      ['vi', '   ', 'empty'],
      ['vi', '1.25.0', 'misplaced_mark'],
      ['vi', '12,', 'misplaced_mark'],
      ['vi', '1,2,3', 'misplaced_mark'],
      ['vi', '1.2345', 'other_convention'],
      ['vi', '0.500', 'other_convention'],
      ['vi', '1.250,5.5', 'misplaced_mark'],
      ['vi', '.', 'misplaced_mark'],
      ['vi', '12kg', 'invalid_character'],
      ['vi', 'mười', 'invalid_character'],
      ['vi', '1 250', 'invalid_character'],
      ['vi', '1e3', 'invalid_character'],
      ['vi', '+5', 'invalid_character'],
      ['vi', '-5', 'negative'],
      ['en', '1,25', 'other_convention'],
      ['en', '1,2345.5', 'misplaced_mark'],
      ['en', '-0.5', 'negative'],
      ['vi', '1234567890123456', 'too_many_digits'],
    ];
    for (const [lang, text, problem] of refused) {
      it(`when “${text}” is typed in ${lang}, then it is refused as ${problem}`, () => {
        const answer = read(text, lang);
        expect(answer.ok).to.equal(false);
        expect(!answer.ok && answer.problem).to.equal(problem);
      });
    }

    it('when an English-style number is typed in Vietnamese, then it is refused with the value it would have in English, never taken', () => {
      expect(read('1,250.5', 'vi')).to.deep.equal({ ok: false, problem: 'other_convention', suggestion: 1250.5 });
      expect(read('1.25', 'vi')).to.deep.equal({ ok: false, problem: 'other_convention', suggestion: 1.25 });
      expect(read('1.250,5', 'en')).to.deep.equal({ ok: false, problem: 'other_convention', suggestion: 1250.5 });
    });

    it('when a field takes whole numbers only, then decimals are refused and a zero fraction is not', () => {
      expect(read('85.000', 'vi', { whole: true })).to.deep.equal({ ok: true, value: 85000 });
      expect(read('85,5', 'vi', { whole: true })).to.deep.equal({ ok: false, problem: 'not_whole' });
      expect(read('85,0', 'vi', { whole: true })).to.deep.equal({ ok: true, value: 85 });
    });

    it('when a field takes negatives, then a minus reads and -0 is 0; when it needs a positive amount, zero is refused', () => {
      expect(read('-12,5', 'vi', { negative: true })).to.deep.equal({ ok: true, value: -12.5 });
      expect(read('-0', 'vi')).to.deep.equal({ ok: true, value: 0 });
      expect(Object.is((read('-0', 'vi') as { value: number }).value, 0)).to.equal(true);
      expect(read('0', 'vi', { positive: true })).to.deep.equal({ ok: false, problem: 'not_positive' });
      expect(read('0.0', 'en', { positive: true })).to.deep.equal({ ok: false, problem: 'not_positive' });
    });

    it('when a field has a maximum, then the maximum itself is taken and anything above it is refused', () => {
      expect(read('1.000', 'vi', { whole: true, max: 1000 })).to.deep.equal({ ok: true, value: 1000 });
      expect(read('1.001', 'vi', { whole: true, max: 1000 })).to.deep.equal({ ok: false, problem: 'too_large' });
    });

    it(`when an entry has more than ${MAX_DIGITS} significant digits or more decimals than the field takes, then it is refused instead of rounded`, () => {
      expect(read('123.456.789.012.345', 'vi')).to.deep.equal({ ok: true, value: 123_456_789_012_345 });
      expect(read('0,000000000000001', 'vi')).to.deep.equal({ ok: true, value: 1e-15 });
      expect(read('1.234.567.890.123.456', 'vi')).to.deep.include({ ok: false, problem: 'too_many_digits' });
      expect(read('1,1234567', 'vi', { maxDecimals: 6 })).to.deep.include({ ok: false, problem: 'too_many_digits' });
      expect(read('1,123456', 'vi', { maxDecimals: 6 })).to.deep.equal({ ok: true, value: 1.123456 });
    });
  });

  describe('writing', () => {
    it('when numbers are written, then Vietnamese groups with “.” and marks decimals with “,”, English the other way', () => {
      expect(formatLocaleNumber(1250, 'vi')).to.equal('1.250');
      expect(formatLocaleNumber(1250.5, 'vi')).to.equal('1.250,5');
      expect(formatLocaleNumber(85000, 'vi')).to.equal('85.000');
      expect(formatLocaleNumber(0.5, 'vi')).to.equal('0,5');
      expect(formatLocaleNumber(1250.5, 'en')).to.equal('1,250.5');
      expect(formatLocaleNumber(-1234567.25, 'en')).to.equal('-1,234,567.25');
      expect(formatLocaleNumber(1e-7, 'vi')).to.equal('0,0000001');
      expect(formatLocaleNumber(1e20, 'en')).to.equal('100,000,000,000,000,000,000');
      expect(formatLocaleNumber(0.1 + 0.2, 'vi')).to.equal('0,3');
      expect(formatLocaleNumber(1.23456, 'vi', 2)).to.equal('1,23');
      expect(formatLocaleNumber(-0.001, 'vi', 2)).to.equal('0');
      expect(() => formatLocaleNumber(Number.NaN, 'vi')).to.throw(RangeError);
    });

    /** Numbers a person could type: up to MAX_DIGITS significant digits, some of them decimals. */
    const typedNumbers = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** BigInt(MAX_DIGITS) - 1n }), fc.integer({ min: 0, max: MAX_DIGITS }), fc.boolean())
      .map(([digits, decimals, negative]) => (negative ? -1 : 1) * Number(`${digits / 10n ** BigInt(decimals)}.${(digits % 10n ** BigInt(decimals)).toString().padStart(decimals, '0') || '0'}`));

    for (const lang of ['vi', 'en'] as const) {
      it(`when any number of up to ${MAX_DIGITS} digits is written in ${lang} and read back, then it is the same number`, () => {
        fc.assert(
          fc.property(typedNumbers, (value) => {
            const answer = read(formatLocaleNumber(value, lang), lang, { negative: true });
            expect(answer).to.deep.equal({ ok: true, value: value === 0 ? 0 : value });
          }),
          { numRuns: 2000 },
        );
      });
    }

    it('when a grouped Vietnamese number is read in English (or the reverse), then it is either a different reading or refused, never the same silently', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1000, max: 999_999_999 }), (n) => {
          const english = read(formatLocaleNumber(n, 'vi'), 'en');
          expect(english.ok === false || english.value !== n).to.equal(true);
        }),
      );
    });
  });

  describe('words', () => {
    const vietnamese: Array<[number, string]> = [
      [0, 'không'],
      [5, 'năm'],
      [10, 'mười'],
      [11, 'mười một'],
      [15, 'mười lăm'],
      [21, 'hai mươi mốt'],
      [25, 'hai mươi lăm'],
      [44, 'bốn mươi bốn'],
      [100, 'một trăm'],
      [101, 'một trăm linh một'],
      [105, 'một trăm linh năm'],
      [110, 'một trăm mười'],
      [115, 'một trăm mười lăm'],
      [1000, 'một nghìn'],
      [1005, 'một nghìn không trăm linh năm'],
      [1050, 'một nghìn không trăm năm mươi'],
      [1250, 'một nghìn hai trăm năm mươi'],
      [85000, 'tám mươi lăm nghìn'],
      [1_000_000, 'một triệu'],
      [1_000_500, 'một triệu năm trăm'],
      [2_021_000, 'hai triệu không trăm hai mươi mốt nghìn'],
      [1_000_000_000, 'một tỷ'],
      [1_000_000_005, 'một tỷ không trăm linh năm'],
      [3_500_000_000, 'ba tỷ năm trăm triệu'],
      [1_000_000_000_000, 'một nghìn tỷ'],
      [1250.5, 'một nghìn hai trăm năm mươi phẩy năm'],
      [0.5, 'không phẩy năm'],
      [0.05, 'không phẩy không năm'],
      [-12.5, 'âm mười hai phẩy năm'],
    ];
    for (const [n, words] of vietnamese) {
      it(`when ${n} is read in Vietnamese, then it is “${words}”`, () => expect(numberInWords(n, 'vi')).to.equal(words));
    }

    const english: Array<[number, string]> = [
      [0, 'zero'],
      [13, 'thirteen'],
      [21, 'twenty-one'],
      [101, 'one hundred and one'],
      [1005, 'one thousand and five'],
      [1250, 'one thousand two hundred and fifty'],
      [85000, 'eighty-five thousand'],
      [2_000_019, 'two million and nineteen'],
      [1_000_000_000_000, 'one trillion'],
      [1250.5, 'one thousand two hundred and fifty point five'],
      [0.25, 'zero point two five'],
    ];
    for (const [n, words] of english) {
      it(`when ${n} is read in English, then it is “${words}”`, () => expect(numberInWords(n, 'en')).to.equal(words));
    }

    it('when a quantity is read with its unit, then the unit is spelled out (plural in English unless exactly one)', () => {
      expect(quantityInWords(1250, 'kg', 'vi')).to.equal('một nghìn hai trăm năm mươi ki-lô-gam');
      expect(quantityInWords(1250, 'kg', 'en')).to.equal('one thousand two hundred and fifty kilograms');
      expect(quantityInWords(1, 't', 'en')).to.equal('one tonne');
      expect(quantityInWords(2.5, 't', 'vi')).to.equal('hai phẩy năm tấn');
      expect(quantityInWords(20, 'bag', 'en')).to.equal('twenty bags');
      expect(quantityInWords(85000, 'vnd', 'vi')).to.equal('tám mươi lăm nghìn đồng');
      expect(quantityInWords(85000, 'vnd', 'en')).to.equal('eighty-five thousand dong');
      expect(quantityInWords(1.5, 'ha', 'vi')).to.equal('một phẩy năm héc-ta');
      expect(quantityInWords(1.5, 'ha', 'en')).to.equal('one point five hectares');
      expect(quantityInWords(7, null, 'vi')).to.equal('bảy');
    });

    it('when any whole number up to 10^15 is read in Vietnamese, then every word is a Vietnamese number word and no scale is doubled', () => {
      const vocabulary = new Set(['không', 'một', 'mốt', 'hai', 'ba', 'bốn', 'năm', 'lăm', 'sáu', 'bảy', 'tám', 'chín', 'mười', 'mươi', 'trăm', 'linh', 'nghìn', 'triệu', 'tỷ']);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map((n) => n % 1e15), (n) => {
          const words = numberInWords(n, 'vi').split(' ');
          expect(words.every((w) => vocabulary.has(w)), words.join(' ')).to.equal(true);
          expect(/(nghìn|triệu|trăm) \1/.test(words.join(' '))).to.equal(false);
          // "không" only for zero itself or as "không trăm" of an inner group.
          expect(words.every((w, i) => w !== 'không' || n === 0 || words[i + 1] === 'trăm')).to.equal(true);
        }),
      );
    });
  });
});
