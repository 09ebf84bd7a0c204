import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ConsoleDb } from './console-db.js';
import { farmRecords, refreshFarmRecords, type FarmRecords } from './farm-records.js';
import { CONSOLE_MESSAGES, type ConsoleLang } from './messages.js';
import { Outbox, type NewOutboxEntry, type OutboxEntry } from './outbox.js';
import { chooseLang } from './preferences.js';
import { endSession, isExpired, seesCooperativeScreens, storedSession, type Session } from './session.js';
import type { CoopArea } from './coop/coop-area.js';
import { HarvestScreen } from './screens/harvest-screen.js';
import { HomeScreen } from './screens/home-screen.js';
import { LoginScreen } from './screens/login-screen.js';
import { PlotScreen } from './screens/plot-screen.js';
import { StepScreen } from './screens/step-screen.js';
import { SyncScreen } from './screens/sync-screen.js';

const ROUTES = ['home', 'plot', 'harvest', 'step', 'sync', 'login', 'coop'] as const;
type Route = (typeof ROUTES)[number];

/** The screen the address names, and for the cooperative screens the rest of it (`#/coop/lots/<id>`). */
function routeFromHash(): { route: Route; rest: string } {
  const [name = '', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return (ROUTES as readonly string[]).includes(name) ? { route: name as Route, rest: rest.join('/') } : { route: 'home', rest: '' };
}

function go(route: Route): void {
  location.hash = route === 'home' ? '#/' : `#/${route}`;
}

/**
 * The cooperative screens, fetched as their own chunk the first time they are shown: a farmer's
 * phone never downloads them, and they are not in the offline cache (they need the network anyway).
 */
function useCoopArea(wanted: boolean): typeof CoopArea | 'failed' | null {
  const [area, setArea] = useState<typeof CoopArea | 'failed' | null>(null);
  useEffect(() => {
    if (!wanted || (area && area !== 'failed')) return;
    import('./coop/coop-area.js').then(
      (module) => setArea(() => module.CoopArea),
      () => setArea('failed'),
    );
  }, [wanted, area]);
  return area;
}

/** The console: session, language, the outbox and the farm's records, and the screen the address names. */
export function App({ db, initialLang }: { db: ConsoleDb; initialLang: ConsoleLang }) {
  const [lang, setLang] = useState(initialLang);
  const [session, setSession] = useState<Session | null>(storedSession);
  const [{ route, rest }, setRoute] = useState(routeFromHash);
  const [entries, setEntries] = useState<OutboxEntry[]>([]);
  const [records, setRecords] = useState<FarmRecords>({ plots: [], batches: [] });
  const [flash, setFlash] = useState('');
  const [online, setOnline] = useState(navigator.onLine);
  const [loginNeeded, setLoginNeeded] = useState(false);
  const m = CONSOLE_MESSAGES[lang];
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const outbox = useMemo(() => new Outbox(db, () => sessionRef.current, () => setLoginNeeded(true)), [db]);
  const syncedCount = useRef(0);

  const reload = useCallback(async () => {
    const current = sessionRef.current;
    if (!current) return;
    const mine = await outbox.entries(current.userId);
    setEntries(mine);
    setRecords(await farmRecords(db, current.userId, mine));
    // Something just reached the server: read the lists again so they show server ids and lot numbers.
    const synced = mine.filter((e) => e.status === 'synced').length;
    if (synced > syncedCount.current) {
      syncedCount.current = synced;
      refreshFarmRecords(db, current)
        .then(async () => setRecords(await farmRecords(db, current.userId, await outbox.entries(current.userId))))
        .catch(() => undefined);
    }
  }, [db, outbox]);

  useEffect(() => {
    const onHash = () => {
      const next = routeFromHash();
      if (next.route !== 'home') setFlash('');
      setRoute(next);
    };
    const onNetwork = () => setOnline(navigator.onLine);
    window.addEventListener('hashchange', onHash);
    window.addEventListener('online', onNetwork);
    window.addEventListener('offline', onNetwork);
    const unsubscribe = outbox.subscribe(() => void reload());
    outbox.start();
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('online', onNetwork);
      window.removeEventListener('offline', onNetwork);
      unsubscribe();
    };
  }, [outbox, reload]);

  useEffect(() => {
    if (!session) return;
    syncedCount.current = 0;
    void reload();
    refreshFarmRecords(db, session)
      .then(reload)
      .catch(() => undefined);
    void outbox.flush();
  }, [session, db, outbox, reload]);


  const switchLang = () => {
    chooseLang(m.otherLanguageCode);
    setLang(m.otherLanguageCode);
  };

  const record = async (entriesToQueue: NewOutboxEntry[], message: string) => {
    if (!session) return;
    await outbox.add(session.userId, entriesToQueue);
    await reload();
    setFlash(message);
    go('home');
  };

  const loggedIn = (next: Session) => {
    setLoginNeeded(false);
    setSession(next);
    go('home');
  };

  const logout = () => {
    endSession();
    setSession(null);
    go('login');
  };

  const showLogin = !session || route === 'login';
  const expired = session !== null && (loginNeeded || isExpired(session));
  // Admins and operators land on the cooperative office; the farmer screens stay one link away.
  const showCoop = session !== null && !showLogin && seesCooperativeScreens(session) && (route === 'coop' || route === 'home');
  const Coop = useCoopArea(showCoop);
  const title = showCoop ? m.officeTitle : m.title;

  useEffect(() => {
    document.documentElement.lang = m.htmlLang;
    document.title = title;
  }, [m, title]);

  return (
    <>
      <a class="skip" href="#content">
        {m.skipToContent}
      </a>
      <header class="top">
        <a class="brand" href="#/">
          {title}
        </a>
        <nav>
          <button type="button" lang={m.otherLanguageCode} onClick={switchLang}>
            {m.otherLanguage}
          </button>
          {session && !showLogin ? (
            <button type="button" onClick={logout}>
              {m.logout}
            </button>
          ) : null}
        </nav>
      </header>
      <main id="content" class={showCoop ? 'wide' : undefined}>
        {!online ? <p class="note">{m.offline}</p> : null}
        {expired && !showLogin ? (
          <p class="note">
            {m.sessionExpired} <a href="#/login">{m.loginButton}</a>
          </p>
        ) : null}
        <p aria-live="polite" class={flash ? 'ok' : ''} role="status">
          {flash}
        </p>
        {showCoop ? (
          Coop === 'failed' ? (
            <p class="error">{m.coopNeedsNetwork}</p>
          ) : Coop ? (
            <Coop session={session!} lang={lang} path={route === 'coop' ? rest : ''} onLoginNeeded={() => setLoginNeeded(true)} />
          ) : (
            <p>{m.loading}</p>
          )
        ) : showLogin ? (
          <LoginScreen m={m} online={online} pendingCount={entries.filter((e) => e.status !== 'synced').length} previous={session} onLoggedIn={loggedIn} />
        ) : route === 'plot' ? (
          <PlotScreen m={m} onSave={record} />
        ) : route === 'harvest' ? (
          <HarvestScreen m={m} plots={records.plots} onSave={record} />
        ) : route === 'step' ? (
          <StepScreen m={m} batches={records.batches} plots={records.plots} onSave={record} />
        ) : route === 'sync' ? (
          <SyncScreen m={m} entries={entries} online={online} retryAt={outbox.retryAt} onSendNow={() => void outbox.flush()} onRemove={(seq) => void outbox.remove(seq)} />
        ) : (
          <HomeScreen m={m} records={records} entries={entries} />
        )}
      </main>
    </>
  );
}
