import type { NumberProblem } from '../../api/src/domain/locale-number.js';
import type { WordUnit } from '../../api/src/domain/number-words.js';
import { VOCABULARY_NAMES } from '../vocabulary-names.js';
import type { ConsoleLang } from './messages.js';

/** What a number field says under itself: why an entry is not a number, and the unit written after its digits. */
interface NumberMessages {
  problems: Record<Exclude<NumberProblem, 'other_convention' | 'too_many_digits' | 'too_large'>, string>;
  /** `suggestion` is the value as the language writes it. */
  otherConvention: (suggestion: string) => string;
  tooManyDigits: (maxDigits: number, maxDecimals: number) => string;
  /** `max` is the limit as the language writes it. */
  tooLarge: (max: string) => string;
  /** The unit after the digits: "1.250 kg", "85.000 ₫". */
  unitSymbols: Record<WordUnit, string>;
  /** The value read back: "1.250 kg = một nghìn hai trăm năm mươi ki-lô-gam". */
  readBack: (digits: string, words: string) => string;
}

const vi: NumberMessages = {
  problems: {
    empty: 'Hãy nhập một số.',
    invalid_character: 'Chỉ nhập chữ số, dấu chấm (.) để nhóm hàng nghìn và dấu phẩy (,) trước phần thập phân.',
    negative: 'Số này không được âm.',
    not_positive: 'Số này phải lớn hơn 0.',
    not_whole: 'Ở đây chỉ nhập số nguyên, không có phần thập phân.',
    misplaced_mark: 'Dấu chưa đúng chỗ: dấu chấm (.) nhóm từng ba chữ số hàng nghìn (1.250), dấu phẩy (,) đứng trước phần thập phân (1.250,5).',
  },
  otherConvention: (suggestion) =>
    `Số này viết theo kiểu tiếng Anh. Tiếng Việt dùng dấu chấm để nhóm hàng nghìn và dấu phẩy trước phần thập phân: nếu ý bạn là ${suggestion}, hãy nhập “${suggestion}”.`,
  tooManyDigits: (maxDigits, maxDecimals) => `Quá nhiều chữ số: tối đa ${maxDigits} chữ số, trong đó ${maxDecimals} chữ số sau dấu phẩy.`,
  tooLarge: (max) => `Số này lớn quá: tối đa ${max}.`,
  unitSymbols: { ...VOCABULARY_NAMES.vi.units, vnd: '₫', ha: 'ha', g: 'g', ml: 'ml', l: 'l', cm: 'cm', degree: '°', label: 'nhãn' },
  readBack: (digits, words) => `${digits} = ${words}`,
};

const en: NumberMessages = {
  problems: {
    empty: 'Enter a number.',
    invalid_character: 'Use only digits, a comma (,) to group thousands and a point (.) before the decimals.',
    negative: 'This number cannot be negative.',
    not_positive: 'This number must be more than 0.',
    not_whole: 'Only whole numbers here, without decimals.',
    misplaced_mark: 'A mark is in the wrong place: a comma (,) groups thousands in threes (1,250), a point (.) comes before the decimals (1,250.5).',
  },
  otherConvention: (suggestion) =>
    `This number is written the Vietnamese way. English uses a comma to group thousands and a point before the decimals: if you mean ${suggestion}, type “${suggestion}”.`,
  tooManyDigits: (maxDigits, maxDecimals) => `Too many digits: at most ${maxDigits} digits, ${maxDecimals} of them after the point.`,
  tooLarge: (max) => `This number is too large: at most ${max}.`,
  unitSymbols: { ...VOCABULARY_NAMES.en.units, vnd: '₫', ha: 'ha', g: 'g', ml: 'ml', l: 'l', cm: 'cm', degree: '°', label: 'labels' },
  readBack: (digits, words) => `${digits} = ${words}`,
};

export const NUMBER_MESSAGES: Record<ConsoleLang, NumberMessages> = { vi, en };
