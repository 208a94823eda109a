import { useEffect, useState } from 'preact/hooks';

/** A failure's reason in words: the server's message (ApiFailure) or the browser's. */
export const errorText = (err: unknown, fallback = 'Something went wrong'): string =>
  err instanceof Error && err.message ? err.message : fallback;

/** Loads once on open and again on reload(): loading (data undefined), the data, or the error in words. */
export function useLoad<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let stale = false;
    setError(null);
    load()
      .then((d) => !stale && setData(d))
      .catch((err: unknown) => !stale && setError(errorText(err, 'Could not load')));
    return () => {
      stale = true;
    };
  }, [round]);
  return { data, error, reload: () => setRound((n) => n + 1), set: setData };
}
