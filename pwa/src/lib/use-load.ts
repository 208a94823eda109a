// One request's life on a screen: loading (data undefined), the answer, or its failure in words; `reload` asks
// again and `set` replaces the answer after a change the screen made itself.
import { useEffect, useState } from 'preact/hooks';

/** A failure's reason in words: the server's message (ApiFailure) or the browser's. */
export const errorText = (err: unknown, fallback = 'Something went wrong'): string =>
  err instanceof Error && err.message ? err.message : fallback;

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[] = []) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setError(null);
    load()
      .then((d) => {
        if (current) setData(d);
      })
      .catch((err: unknown) => {
        if (current) setError(errorText(err, 'Could not load'));
      });
    // A slower earlier answer must not overwrite a later one.
    return () => {
      current = false;
    };
  }, [...deps, round]);
  return { data, error, reload: () => setRound((n) => n + 1), set: setData };
}
