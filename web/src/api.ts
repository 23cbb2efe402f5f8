const KEY_STORAGE = 'recoup.apiKey';

/** The key lives in sessionStorage: it goes when the tab closes, and is never written to disk by us. */
export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function api<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown; key?: string } = {}): Promise<T> {
  const key = init.key ?? storedKey();
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (body as { error?: { message?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.message ?? `${response.status} ${response.statusText}`);
  }
  return body as T;
}

export function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
