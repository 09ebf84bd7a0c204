/**
 * The logged-in farmer: the API's bearer token, kept in localStorage so the console opens
 * logged in (and offline) on the next visit, until the token expires.
 */
const KEY = 'farm-trace-console-session';

export interface Session {
  token: string;
  /** The user the token names (JWT `sub`): outbox entries belong to the user who recorded them. */
  userId: string;
  email: string;
  expiresAt: number;
}

function tokenSubject(token: string): string {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const sub = (JSON.parse(json) as { sub?: unknown }).sub;
  if (typeof sub !== 'string') throw new Error('the token names no user');
  return sub;
}

export function startSession(token: string, expiresInSeconds: number, email: string): Session {
  const session = { token, userId: tokenSubject(token), email, expiresAt: Date.now() + expiresInSeconds * 1000 };
  localStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

/** The stored session, even an expired one (its user still owns the queued entries). */
export function storedSession(): Session | null {
  try {
    const session = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    return session && typeof session.token === 'string' && typeof session.userId === 'string' ? session : null;
  } catch {
    return null;
  }
}

export function isExpired(session: Session): boolean {
  return Date.now() >= session.expiresAt;
}

export function endSession(): void {
  localStorage.removeItem(KEY);
}
