import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { PIN_LENGTH } from '../../../api/src/domain/phone-login.js';
import { apiRequest, ProblemError } from '../api-client.js';
import type { ConsoleMessages } from '../messages.js';
import { fieldErrorText, problemSummary } from '../problem-messages.js';
import { startSession, type LoginName, type Session } from '../session.js';
import { ScreenHeading } from './screen-heading.js';

interface Props {
  m: ConsoleMessages;
  online: boolean;
  /** Entries recorded but not sent: they wait for their user to log in again. */
  pendingCount: number;
  previous: Session | null;
  onLoggedIn: (session: Session) => void;
}

type Method = LoginName['method'];

/** What a PIN field keeps of what was typed or pasted: its digits, at most PIN_LENGTH of them. */
export const digitsOnly = (typed: string): string => typed.replace(/\D/g, '').slice(0, PIN_LENGTH);

/** A failed login in the UI's words: the server's problem from the translated table, a phone that is not one by itself. */
function loginError(m: ConsoleMessages, error: unknown): string {
  if (!(error instanceof ProblemError)) return m.loginNeedsNetwork;
  const { status, errors } = error.problem;
  const phoneError = status === 400 ? errors?.find((e) => e.path === 'phone') : undefined;
  if (phoneError) return fieldErrorText(phoneError, m.lang);
  return problemSummary(error.problem, m.lang);
}

/**
 * Farmers log in with their phone number and the PIN their cooperative gave them (the first
 * choice); everyone else with an email and password. After a session ends, the way its user
 * logged in is offered again, filled in.
 */
export function LoginScreen({ m, online, pendingCount, previous, onLoggedIn }: Props) {
  const [method, setMethod] = useState<Method>(previous?.login.method ?? 'phone');
  const [phone, setPhone] = useState(previous?.login.method === 'phone' ? previous.login.phone : '');
  const [pin, setPin] = useState('');
  const [email, setEmail] = useState(previous?.login.method === 'email' ? previous.login.email : '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const [path, json, login]: [string, unknown, LoginName] =
        method === 'phone'
          ? ['/api/v1/auth/phone-login', { phone, pin }, { method, phone }]
          : ['/api/v1/auth/login', { email, password }, { method, email }];
      const { token, expiresIn } = await apiRequest<{ token: string; expiresIn: number }>(path, { json });
      onLoggedIn(startSession(token, expiresIn, login));
    } catch (e) {
      setError(loginError(m, e));
    } finally {
      setBusy(false);
    }
  };

  const choose = (next: Method) => {
    setMethod(next);
    setError('');
  };

  return (
    <form onSubmit={submit}>
      <ScreenHeading>{m.loginHeading}</ScreenHeading>
      {!online ? <p class="note">{m.loginNeedsNetwork}</p> : null}
      {pendingCount ? <p class="note">{m.logoutPending(pendingCount)}</p> : null}
      <fieldset>
        <legend>{m.loginWith}</legend>
        <label class="choice">
          <input type="radio" name="login-method" id="login-method-phone" checked={method === 'phone'} onChange={() => choose('phone')} />
          {m.loginWithPhone}
        </label>
        <label class="choice">
          <input type="radio" name="login-method" id="login-method-email" checked={method === 'email'} onChange={() => choose('email')} />
          {m.loginWithEmail}
        </label>
      </fieldset>
      {method === 'phone' ? (
        <Fragment key="phone">
          <label for="phone">{m.phone}</label>
          <input id="phone" type="tel" inputMode="tel" autoComplete="username" placeholder="0912 345 678" required value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />
          <label for="pin">{m.pin}</label>
          <input
            id="pin"
            type="password"
            inputMode="numeric"
            pattern="[0-9]*"
            autoComplete="current-password"
            aria-describedby="pin-hint"
            required
            value={pin}
            onInput={(e) => setPin((e.currentTarget.value = digitsOnly(e.currentTarget.value)))}
          />
          <p id="pin-hint" class="small">
            {m.pinHint}
          </p>
        </Fragment>
      ) : (
        <Fragment key="email">
          <label for="email">{m.email}</label>
          <input id="email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          <label for="password">{m.password}</label>
          <input id="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Fragment>
      )}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="actions">
        <button class="primary" type="submit" disabled={busy}>
          {busy ? m.loggingIn : m.loginButton}
        </button>
      </div>
    </form>
  );
}
