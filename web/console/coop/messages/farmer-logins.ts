import type { PinProblem } from '../../../../api/src/domain/phone-login.js';
import type { ConsoleLang } from '../../messages.js';

/** Words of the farmers' logins on the members screen: the list, the new-login form and the PIN reset. */
const vi = {
  // The farmers and their logins
  farmersHeading: 'Tài khoản nông hộ',
  noFarmers: 'Chưa có nông hộ nào có tài khoản đăng nhập.',
  farmer: 'Người dùng',
  household: 'Hộ thành viên',
  phone: 'Số điện thoại',
  email: 'Email',
  none: '—',
  pinColumn: 'Mã PIN',
  resetPin: (name: string) => `Đặt lại mã PIN cho ${name}`,
  resetPinButton: 'Đặt lại mã PIN',
  // New login
  loginHeading: 'Tạo tài khoản đăng nhập cho nông hộ',
  loginFor: 'Hộ thành viên',
  farmerName: 'Họ tên người dùng',
  loginWith: 'Nông hộ đăng nhập bằng',
  withPhone: 'Số điện thoại và mã PIN (khuyên dùng)',
  withEmail: 'Email và mật khẩu',
  pin: 'Mã PIN (6 chữ số)',
  pinHint: 'Không dùng mã dễ đoán: một chữ số lặp lại (111111), dãy liền nhau (123456) hay các số cuối của số điện thoại. Hãy đưa mã PIN cho nông hộ trực tiếp; mã không được hiển thị lại.',
  password: 'Mật khẩu',
  passwordHint: 'Ít nhất 12 ký tự. Hãy đưa mật khẩu cho nông hộ trực tiếp, không gửi qua tin nhắn công khai.',
  createLogin: 'Tạo tài khoản',
  creatingLogin: 'Đang tạo…',
  loginCreated: (login: string, member: string) => `Đã tạo tài khoản ${login} cho ${member}. Nông hộ có thể đăng nhập ngay.`,
  // PIN reset
  newPin: 'Mã PIN mới (6 chữ số)',
  savePin: 'Lưu mã PIN mới',
  savingPin: 'Đang lưu…',
  cancel: 'Hủy',
  close: 'Đóng',
  pinReset: (name: string) => `Đã đặt mã PIN mới cho ${name}. Mã cũ không dùng được nữa; hãy báo mã mới cho nông hộ trực tiếp.`,
  // What the form refuses before sending
  phoneInvalid: 'Đây không phải số di động Việt Nam. Hãy nhập 10 chữ số, ví dụ 0912 345 678.',
  pinProblems: {
    'not-six-digits': 'Mã PIN phải gồm đúng 6 chữ số.',
    repeated: 'Mã PIN quá dễ đoán: một chữ số hay một nhóm số lặp lại.',
    sequence: 'Mã PIN quá dễ đoán: các chữ số liền nhau.',
    'phone-digits': 'Mã PIN quá dễ đoán: trùng các số cuối của số điện thoại.',
  } satisfies Record<PinProblem, string>,
};

const en: typeof vi = {
  farmersHeading: 'Farmers’ logins',
  noFarmers: 'No farmer has a login yet.',
  farmer: 'User',
  household: 'Member household',
  phone: 'Phone number',
  email: 'Email',
  none: '—',
  pinColumn: 'PIN',
  resetPin: (name: string) => `Reset PIN for ${name}`,
  resetPinButton: 'Reset PIN',
  loginHeading: 'Create a farmer login',
  loginFor: 'Member household',
  farmerName: 'User’s full name',
  loginWith: 'The farmer logs in with',
  withPhone: 'Phone number and PIN (recommended)',
  withEmail: 'Email and password',
  pin: 'PIN (6 digits)',
  pinHint: 'No easy PIN: one digit repeated (111111), a straight run (123456) or the last digits of the phone number. Hand the PIN to the farmer in person; it is not shown again.',
  password: 'Password',
  passwordHint: 'At least 12 characters. Hand the password to the farmer in person, not in a public message.',
  createLogin: 'Create login',
  creatingLogin: 'Creating…',
  loginCreated: (login: string, member: string) => `Login ${login} created for ${member}. The farmer can log in now.`,
  newPin: 'New PIN (6 digits)',
  savePin: 'Save the new PIN',
  savingPin: 'Saving…',
  cancel: 'Cancel',
  close: 'Close',
  pinReset: (name: string) => `${name} has a new PIN. The old one no longer works; tell the farmer the new one in person.`,
  phoneInvalid: 'This is not a Vietnamese mobile number. Type its 10 digits, for example 0912 345 678.',
  pinProblems: {
    'not-six-digits': 'The PIN must be exactly 6 digits.',
    repeated: 'This PIN is too easy to guess: a digit or a group of digits repeated.',
    sequence: 'This PIN is too easy to guess: digits in a straight run.',
    'phone-digits': 'This PIN is too easy to guess: the last digits of the phone number.',
  },
};

export const FARMER_LOGIN_MESSAGES: Record<ConsoleLang, typeof vi> = { vi, en };
