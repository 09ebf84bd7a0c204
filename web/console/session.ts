/**
 * The logged-in farmer: the API's bearer token, kept in localStorage so the console opens
 * logged in (and offline) on the next visit, until the token expires.
 */
const KEY = 'farm-trace-console-session';

export interface Session {
  token: string;
  /** The user the token names (JWT `sub`): outbox entries belong to the user who recorded them. */
  userId: string;
  /** The user's organization and role (JWT `org`, `role`): admins and operators get the cooperative screens. */
  orgId: string;
  role: string;
  /** What the user logged in with, offered again when the session ends. */
  login: LoginName;
  expiresAt: number;
}

/** A farmer's phone (as typed) and PIN, or an email and password. */
export type LoginName = { method: 'phone'; phone: string } | { method: 'email'; email: string };

/** The claims the console reads from the API's token; the server checks the signature, the console only routes by them. */
function tokenClaims(token: string): Pick<Session, 'userId' | 'orgId' | 'role'> {
  const payload = token.split('.')[1] ?? '';
  const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown; org?: unknown; role?: unknown };
  if (typeof claims.sub !== 'string' || typeof claims.org !== 'string' || typeof claims.role !== 'string') throw new Error('the token names no user');
  return { userId: claims.sub, orgId: claims.org, role: claims.role };
}

export function startSession(token: string, expiresInSeconds: number, login: LoginName): Session {
  const session = { token, ...tokenClaims(token), login, expiresAt: Date.now() + expiresInSeconds * 1000 };
  localStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

/** The stored session, even an expired one (its user still owns the queued entries). */
export function storedSession(): Session | null {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as (Session & { email?: string }) | null;
    if (!stored || typeof stored.token !== 'string') return null;
    // Sessions stored before phone logins kept only the email.
    const login = stored.login ?? { method: 'email', email: stored.email ?? '' };
    return { ...stored, login, ...tokenClaims(stored.token) };
  } catch {
    return null;
  }
}

/** Cooperative admins and operators act for the member households: they get the cooperative screens. */
export function seesCooperativeScreens(session: Session): boolean {
  return session.role === 'admin' || session.role === 'operator';
}

export function isExpired(session: Session): boolean {
  return Date.now() >= session.expiresAt;
}

export function endSession(): void {
  localStorage.removeItem(KEY);
}
