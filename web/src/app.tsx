import { useEffect, useMemo, useState } from 'react';
import { api, storeKey, storedKey } from './api.js';
import { type Locale, LocaleContext, translator, useT } from './i18n.js';
import { navigate, usePath } from './router.js';
import { type Session, type ViewName, viewsFor } from './session.js';
import { AgentInboxView } from './views/agent-inbox-view.js';
import { AuditView } from './views/audit-view.js';
import { CasesView } from './views/cases-view.js';
import { CustomerView } from './views/customer-view.js';
import { DashboardView } from './views/dashboard-view.js';
import { JobsView } from './views/jobs-view.js';
import { LoginView } from './views/login-view.js';
import { StrategyView } from './views/strategy-view.js';

const LOCALE_STORAGE = 'recoup.locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_STORAGE);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function App() {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [session, setSession] = useState<Session | null>(null);
  const [checking, setChecking] = useState(storedKey() !== null);
  const path = usePath();
  const t = useMemo(() => translator(locale), [locale]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t('app.title');
    localStorage.setItem(LOCALE_STORAGE, locale);
  }, [locale, t]);

  // A reloaded tab still holds its key: ask the server whose it is rather than trusting anything stored.
  useEffect(() => {
    if (!storedKey()) return;
    api<Session>('/v1/session')
      .then(setSession)
      .catch(() => storeKey(null))
      .finally(() => setChecking(false));
  }, []);

  const switchLocale = () => setLocale(locale === 'en' ? 'zh-CN' : 'en');
  const signOut = () => {
    storeKey(null);
    setSession(null);
  };

  let body;
  if (checking) body = <p>{t('common.loading')}</p>;
  else if (!session) body = <LoginView onSignedIn={setSession} />;
  else body = <Views session={session} path={path} />;

  return (
    <LocaleContext.Provider value={{ locale, t }}>
      <header className="top">
        <strong>{t('app.title')}</strong>
        {session && <Nav session={session} path={path} />}
        <span className="spacer" />
        {session && <span className="who">{t('nav.role')}: {session.role}</span>}
        <button id="locale-switch" onClick={switchLocale}>{t('locale.switch')}</button>
        {session && <button onClick={signOut}>{t('nav.signOut')}</button>}
      </header>
      <main>{body}</main>
    </LocaleContext.Provider>
  );
}

function Nav(props: { session: Session; path: string }) {
  const t = useT();
  const current = props.path.split('/')[0];
  return (
    <nav>
      {viewsFor(props.session.role).map((view) => (
        <a key={view} href={`/console/${view}`} data-view={view} className={current === view ? 'active' : ''} onClick={(e) => { e.preventDefault(); navigate(view); }}>
          {t(`nav.${view}`)}
        </a>
      ))}
    </nav>
  );
}

function Views(props: { session: Session; path: string }) {
  const [head, id] = props.path.split('/');
  const allowed = viewsFor(props.session.role);
  if (head === 'customers' && id) return <CustomerView id={id} />;
  const view = (allowed.includes(head as ViewName) ? head : allowed[0]) as ViewName;
  switch (view) {
    case 'dashboard':
      return <DashboardView />;
    case 'cases':
      return <CasesView />;
    case 'strategy':
      return <StrategyView />;
    case 'audit':
      return <AuditView />;
    case 'inbox':
      return <AgentInboxView />;
    case 'jobs':
      return <JobsView canRetrain={props.session.role === 'admin' || props.session.role === 'operator'} canBacktest={props.session.role === 'admin' || props.session.role === 'operator' || props.session.role === 'analyst'} />;
  }
}
