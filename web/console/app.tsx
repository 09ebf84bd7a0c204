import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ConsoleDb } from './console-db.js';
import { farmRecords, refreshFarmRecords, type FarmRecords } from './farm-records.js';
import { CONSOLE_MESSAGES, type ConsoleLang } from './messages.js';
import { Outbox, type NewOutboxEntry, type OutboxItem } from './outbox.js';
import { chooseLang } from './preferences.js';
import { endSession, isExpired, seesCooperativeScreens, storedSession, type Session } from './session.js';
import type { CoopArea } from './coop/coop-area.js';
import { HarvestScreen } from './screens/harvest-screen.js';
import { HomeScreen } from './screens/home-screen.js';
import { LoginScreen } from './screens/login-screen.js';
import { RefusedBanner, SavedBanner, type JustSaved } from './screens/outbox-banners.js';
import { PhotoFixScreen } from './screens/photo-fix-screen.js';
import { PlotScreen } from './screens/plot-screen.js';
import type { RefusedEntry } from './screens/refused-entry.js';
import { StepScreen } from './screens/step-screen.js';
import { SyncScreen } from './screens/sync-screen.js';

const ROUTES = ['home', 'plot', 'harvest', 'step', 'sync', 'fix', 'login', 'coop'] as const;
type Route = (typeof ROUTES)[number];

/** The screen the address names, and the rest of it: the cooperative screen (`#/coop/lots/<id>`), the refused entry (`#/fix/<seq>`). */
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

/**
 * Whether a farmer may record a step on the lot: one still on the phone, or one the household holds
 * and has not shipped (the server refuses steps on lots handed on). A cooperative's staff see every
 * lot: their scope includes the member households, which the session does not list.
 */
function mayRecordStepOn(batch: FarmRecords['batches'][number], session: Session): boolean {
  if (session.role !== 'farmer' || batch.custodianOrgId === undefined) return true;
  return batch.custodianOrgId === session.orgId && !batch.pendingReceiverOrgId;
}

/** The console: session, language, the outbox and the farm's records, and the screen the address names. */
export function App({ db, initialLang }: { db: ConsoleDb; initialLang: ConsoleLang }) {
  const [lang, setLang] = useState(initialLang);
  const [session, setSession] = useState<Session | null>(storedSession);
  const [{ route, rest }, setRoute] = useState(routeFromHash);
  const [entries, setEntries] = useState<OutboxItem[]>([]);
  const [records, setRecords] = useState<FarmRecords>({ plots: [], batches: [] });
  const [saved, setSaved] = useState<JustSaved | null>(null);
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
      if (next.route !== 'home') setSaved(null);
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

  const record = async (entriesToQueue: NewOutboxEntry[]) => {
    if (!session || !entriesToQueue[0]) return;
    const seqs = await outbox.add(session.userId, entriesToQueue);
    await reload();
    setSaved({ seqs, kind: entriesToQueue[0].kind });
    go('home');
  };

  /** The form of a refused entry (`#/fix/<seq>`): its correction replaces it as a new request; the entries held on it follow. */
  const fixing = route === 'fix' ? entries.find((e) => e.seq === Number(rest)) : undefined;
  const refused: RefusedEntry | undefined =
    fixing?.state === 'refused'
      ? {
          item: fixing,
          waiting: entries.filter((e) => e.waitsFor === fixing.seq),
          onDiscard: () => void outbox.remove(fixing.seq).then(() => go('sync')),
        }
      : undefined;
  const resend = async ([correction]: NewOutboxEntry[]) => {
    if (!refused || !correction) return;
    await outbox.correct(refused.item.seq, { path: correction.path, json: correction.json, photo: correction.photo, photoName: correction.photoName });
    await reload();
    setSaved({ seqs: [refused.item.seq, ...refused.waiting.map((e) => e.seq)], kind: refused.item.kind });
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
        <SavedBanner m={m} items={entries} saved={saved} />
        {!showCoop && !showLogin && (route === 'home' || (route === 'fix' && !refused)) ? <RefusedBanner m={m} items={entries} saved={saved} /> : null}
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
          <StepScreen m={m} batches={records.batches.filter((b) => mayRecordStepOn(b, session!))} plots={records.plots} onSave={record} />
        ) : route === 'sync' ? (
          <SyncScreen m={m} entries={entries} online={online} retryAt={outbox.retryAt} onSendNow={() => void outbox.flush()} onDiscard={(seq) => void outbox.remove(seq)} />
        ) : route === 'fix' ? (
          !refused ? (
            <p id="not-refused">
              {m.notRefused} <a href="#/sync">{m.syncLink}</a>
            </p>
          ) : refused.item.kind === 'plot' ? (
            <PlotScreen key={refused.item.seq} m={m} onSave={resend} refused={refused} />
          ) : refused.item.kind === 'batch' ? (
            <HarvestScreen key={refused.item.seq} m={m} plots={records.plots} onSave={resend} refused={refused} />
          ) : refused.item.kind === 'step' ? (
            <StepScreen key={refused.item.seq} m={m} batches={records.batches} plots={records.plots} onSave={resend} refused={refused} />
          ) : (
            <PhotoFixScreen key={refused.item.seq} m={m} onSave={resend} refused={refused} />
          )
        ) : (
          <HomeScreen m={m} records={records} entries={entries} />
        )}
      </main>
    </>
  );
}
