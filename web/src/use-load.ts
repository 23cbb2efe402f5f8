import { useCallback, useEffect, useState } from 'react';

/** Loads on mount and whenever `deps` change; `reload` runs it again (after an action, or on a timer). */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): { data: T | undefined; error: Error | undefined; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  useEffect(() => {
    let current = true;
    run()
      .then((value) => current && (setData(value), setError(undefined)))
      .catch((e: Error) => current && setError(e));
    return () => {
      current = false;
    };
  }, [run, tick]);
  return { data, error, reload: () => setTick((n) => n + 1) };
}
