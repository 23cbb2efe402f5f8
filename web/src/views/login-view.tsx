import { type FormEvent, useState } from 'react';
import { api, storeKey } from '../api.js';
import { useT } from '../i18n.js';
import type { Session } from '../session.js';

export function LoginView(props: { onSignedIn: (session: Session) => void }) {
  const t = useT();
  const [key, setKey] = useState('');
  const [failed, setFailed] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const session = await api<Session>('/v1/session', { key: key.trim() });
      storeKey(key.trim());
      props.onSignedIn(session);
    } catch {
      setFailed(true);
    }
  };

  return (
    <form className="login card" onSubmit={submit}>
      <h2>{t('login.title')}</h2>
      <label>
        {t('login.key')}
        <input id="api-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} />
      </label>
      <button id="sign-in" type="submit" disabled={!key.trim()}>{t('login.submit')}</button>
      {failed && <p className="error">{t('login.failed')}</p>}
    </form>
  );
}
