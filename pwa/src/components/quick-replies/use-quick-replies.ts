import { useEffect, useState } from 'preact/hooks';
import { loadQuickReplies, type QuickReply } from '../../lib/api/settings';

export type LoadQuickReplies = () => Promise<QuickReply[]>;

/** The company's quick replies, asked for the first time they are needed (the first "/"). */
export function useQuickReplies(needed: boolean, load: LoadQuickReplies = loadQuickReplies) {
  const [replies, setReplies] = useState<QuickReply[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!needed || replies !== null) return;
    let stale = false;
    setError(null);
    load()
      .then((r) => !stale && setReplies(r))
      .catch((err: unknown) => !stale && setError(err instanceof Error ? err.message : 'unavailable'));
    return () => {
      stale = true;
    };
  }, [needed]);
  return { replies, error };
}
