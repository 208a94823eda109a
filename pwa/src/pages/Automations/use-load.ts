// One request's life on a screen: loading, the answer, or its failure in words; `reload` asks again.
import { useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
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
        if (current) setError(err instanceof Error ? err.message : 'Could not load');
      });
    // A slower earlier answer must not overwrite a later one.
    return () => {
      current = false;
    };
  }, [...deps, round]);
  return { data, error, reload: () => setRound((n) => n + 1) };
}
