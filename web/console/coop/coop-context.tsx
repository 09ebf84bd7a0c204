import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import { apiFile, apiRequest, ProblemError, type ApiRequest, type Page, type Problem } from '../api-client.js';
import type { ConsoleLang } from '../messages.js';
import { fieldErrorLine, problemText } from '../problem-messages.js';
import { randomUuid } from '../outbox.js';
import type { Session } from '../session.js';
import { COMMON_MESSAGES } from './messages/common.js';

/**
 * What every cooperative screen needs: the session, the language, and one way to read from and
 * write to the API. The cooperative screens work online (an office with a connection): reads go
 * straight to the API, and each write is one request with its own Idempotency-Key, so a double
 * submit or a retry after a lost answer never records twice.
 */
export interface Coop {
  session: Session;
  lang: ConsoleLang;
  /** Called on a 401: the app asks for a new login and keeps the screen. */
  onLoginNeeded: () => void;
}

export const CoopContext = createContext<Coop | null>(null);

export function useCoop(): Coop {
  const coop = useContext(CoopContext);
  if (!coop) throw new Error('a cooperative screen outside CoopContext');
  return coop;
}

/** The current language's words from one of the cooperative message tables. */
export function useMessages<M>(table: Record<ConsoleLang, M>): M {
  return table[useCoop().lang];
}

/** Why a read or a write failed: no connection, or the server's problem details. */
export type Failure = { kind: 'network' } | { kind: 'problem'; problem: Problem };

function failureOf(error: unknown): Failure {
  if (error instanceof ProblemError) return { kind: 'problem', problem: error.problem };
  if (error instanceof TypeError) return { kind: 'network' };
  throw error;
}

/** Sends one request with the session's token; a 401 asks for a new login. */
async function call<T>(coop: Coop, path: string, request: Omit<ApiRequest, 'token'>): Promise<T> {
  try {
    return await apiRequest<T>(path, { ...request, token: coop.session.token });
  } catch (error) {
    if (error instanceof ProblemError && error.problem.status === 401) coop.onLoginNeeded();
    throw error;
  }
}

/** Every item of a paged list, page by page (500 a page, the API's maximum), up to `max` items. */
export async function fetchAll<T>(coop: Coop, path: string, max = 5000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const url = new URL(path, location.origin);
    url.searchParams.set('limit', '500');
    if (cursor) url.searchParams.set('cursor', cursor);
    const page: Page<T> = await call<Page<T>>(coop, url.pathname + url.search, {});
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items.slice(0, max);
}

export interface Loaded<T> {
  data: T | null;
  failure: Failure | null;
  reload: () => void;
}

/**
 * Runs `load` when the screen opens (and again on `reload` or when `key` changes) and keeps its
 * result. `load` gets the Coop so it can read single resources (`coopGet`) or whole lists (`fetchAll`).
 */
export function useLoad<T>(key: string, load: (coop: Coop) => Promise<T>): Loaded<T> {
  const coop = useCoop();
  // Kept with the key it was loaded for: another resource never shows the last one's data, even
  // for the render before its own load starts; a reload of the same one keeps it on screen.
  const [loaded, setLoaded] = useState<{ key: string; value: T } | null>(null);
  const [failure, setFailure] = useState<{ key: string; failure: Failure } | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setFailure(null);
    load(coop).then(
      (value) => current && setLoaded({ key, value }),
      (error: unknown) => current && setFailure({ key, failure: failureOf(error) }),
    );
    return () => {
      current = false;
    };
    // `load` is a new closure on every render; the key names what it reads.
  }, [key, generation, coop.session.token]);
  return {
    data: loaded?.key === key ? loaded.value : null,
    failure: failure?.key === key ? failure.failure : null,
    reload: useCallback(() => setGeneration((g) => g + 1), []),
  };
}

/** One GET of the API, with the session's token. */
export function coopGet<T>(coop: Coop, path: string): Promise<T> {
  return call<T>(coop, path, {});
}

export interface Action {
  /** Sends one write; resolves with the answer, or null when it failed (the failure is then shown by `<FailureNotice>`). */
  run: <T>(path: string, request: Omit<ApiRequest, 'token' | 'idempotencyKey'>) => Promise<T | null>;
  busy: boolean;
  failure: Failure | null;
}

/** A write button's state: busy while its request is out, and the failure of the last attempt. */
export function useAction(): Action {
  const coop = useCoop();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const run = useCallback(
    async <T,>(path: string, request: Omit<ApiRequest, 'token' | 'idempotencyKey'>): Promise<T | null> => {
      setBusy(true);
      setFailure(null);
      try {
        const method = request.method ?? (request.json !== undefined || request.form ? 'POST' : 'GET');
        return await call<T>(coop, path, { ...request, ...(method === 'POST' ? { idempotencyKey: randomUuid() } : {}) });
      } catch (error) {
        setFailure(failureOf(error));
        return null;
      } finally {
        setBusy(false);
      }
    },
    [coop],
  );
  return { run, busy, failure };
}

/** Downloads a file the API streams behind the token (label sheets, exports) and saves it under `fileName`. */
export async function saveFile(coop: Coop, path: string, fileName: string): Promise<Failure | null> {
  try {
    const blob = await apiFile(path, coop.session.token);
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return null;
  } catch (error) {
    if (error instanceof ProblemError && error.problem.status === 401) coop.onLoginNeeded();
    return failureOf(error);
  }
}

/** A failed read or write in the user's language: the problem and each wrong field, from their codes. */
export function FailureNotice({ failure, onRetry }: { failure: Failure | null; onRetry?: () => void }) {
  const m = useMessages(COMMON_MESSAGES);
  const { lang } = useCoop();
  if (!failure) return null;
  return (
    <div class="error" role="alert">
      {failure.kind === 'network' ? (
        <p>{m.needsNetwork}</p>
      ) : (
        <>
          <p>
            <strong>{problemText(failure.problem, lang)}</strong>
          </p>
          {failure.problem.errors?.length ? (
            <ul>
              {failure.problem.errors.map((e, i) => (
                <li key={`${e.path}-${i}`} data-path={e.path} data-code={e.code}>
                  {fieldErrorLine(e, lang)}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          {m.tryAgain}
        </button>
      ) : null}
    </div>
  );
}

/**
 * The end of a write form: the failure of its last attempt, the submit button (disabled and
 * marked busy while the request runs, `busyLabel` while it does), and the outcome, announced.
 */
export function FormSubmit({ action, label, busyLabel, disabled = false, done }: { action: Pick<Action, 'busy' | 'failure'>; label: string; busyLabel?: string; disabled?: boolean; done?: ComponentChildren }) {
  return (
    <>
      <FailureNotice failure={action.failure} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy || disabled} aria-busy={action.busy}>
          {action.busy && busyLabel ? busyLabel : label}
        </button>
      </div>
      <div role="status">{done ? <p class="ok">{done}</p> : null}</div>
    </>
  );
}

/** A screen's body once its data is loaded: "loading", the failure with a retry, or the children. */
export function LoadedView<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  const m = useMessages(COMMON_MESSAGES);
  if (loaded.failure) return <FailureNotice failure={loaded.failure} onRetry={loaded.reload} />;
  if (loaded.data === null) return <p aria-busy="true">{m.loading}</p>;
  return <>{children(loaded.data)}</>;
}
