import { useState } from 'preact/hooks';
import { apiRequest, ProblemError } from '../api-client.js';
import type { ConsoleMessages } from '../messages.js';
import { problemSummary } from '../problem-messages.js';
import { startSession, type Session } from '../session.js';
import { ScreenHeading } from './screen-heading.js';

interface Props {
  m: ConsoleMessages;
  online: boolean;
  /** Entries recorded but not sent: they wait for their user to log in again. */
  pendingCount: number;
  previous: Session | null;
  onLoggedIn: (session: Session) => void;
}

export function LoginScreen({ m, online, pendingCount, previous, onLoggedIn }: Props) {
  const [email, setEmail] = useState(previous?.email ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const { token, expiresIn } = await apiRequest<{ token: string; expiresIn: number }>('/api/v1/auth/login', { json: { email, password } });
      onLoggedIn(startSession(token, expiresIn, email));
    } catch (e) {
      setError(e instanceof ProblemError ? problemSummary(e.problem, m.lang) : m.loginNeedsNetwork);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit}>
      <ScreenHeading>{m.loginHeading}</ScreenHeading>
      {!online ? <p class="note">{m.loginNeedsNetwork}</p> : null}
      {pendingCount ? <p class="note">{m.logoutPending(pendingCount)}</p> : null}
      <label for="email">{m.email}</label>
      <input id="email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      <label for="password">{m.password}</label>
      <input id="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
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
