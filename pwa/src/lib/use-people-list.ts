// A page of the people directory as screens show it: the newest first, "Show more" by cursor, the search sent
// after a pause in typing (and only from two characters, as the server searches), and an answer overtaken by a
// later request dropped, never shown.
import { useEffect, useRef, useState } from 'preact/hooks';
import { listPeople, type PeopleFilters, type Person } from './api/directory';
import { MIN_SEARCH } from './api/inbox';
import { errorText } from './use-load';

const TYPING_PAUSE_MS = 250;

const searched = (q: string | undefined): string => {
  const text = q?.trim() ?? '';
  return text.length >= MIN_SEARCH ? text : '';
};

export function usePeopleList(filters: PeopleFilters, perPage = 50) {
  const [q, setQ] = useState(searched(filters.q));
  useEffect(() => {
    const next = searched(filters.q);
    if (next === q) return;
    const t = setTimeout(() => setQ(next), TYPING_PAUSE_MS);
    return () => clearTimeout(t);
  }, [filters.q]);

  const asked: PeopleFilters = { ...filters, q };
  const key = JSON.stringify([
    asked.q,
    asked.status,
    asked.sale_type,
    asked.never_messaged === true,
    asked.club,
    asked.owner,
    asked.stage,
    asked.label,
    asked.source,
    asked.ad,
  ]);
  const [rows, setRows] = useState<Person[] | null>(null);
  // The search the rows on screen answer (they stay until the next answer comes).
  const [rowsSearch, setRowsSearch] = useState('');
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [round, setRound] = useState(0);
  // What the list shows now: a later page that comes back after the filters changed is dropped.
  const shownKey = useRef(key);
  shownKey.current = key;

  useEffect(() => {
    let stale = false;
    setError(null);
    listPeople(asked, undefined, perPage)
      .then((page) => {
        if (stale) return;
        setRows(page.collection);
        setRowsSearch(asked.q ?? '');
        setNext(page.pagination.next_cursor ?? null);
      })
      .catch((err: unknown) => {
        if (!stale) setError(errorText(err, 'Could not load people'));
      });
    return () => {
      stale = true;
    };
  }, [key, round]);

  const showMore = () => {
    if (!next || loadingMore) return;
    setLoadingMore(true);
    const asOf = key;
    listPeople(asked, next, perPage)
      .then((page) => {
        if (asOf !== shownKey.current) return;
        setRows((shown) => {
          const seen = new Set((shown ?? []).map((p) => p.id));
          return [...(shown ?? []), ...page.collection.filter((p) => !seen.has(p.id))];
        });
        setNext(page.pagination.next_cursor ?? null);
      })
      .catch((err: unknown) => setError(errorText(err, 'Could not load more people')))
      .finally(() => setLoadingMore(false));
  };

  return {
    rows,
    next,
    error,
    loadingMore,
    /** Whether the rows shown answer a search (none until two characters are typed). */
    searching: rowsSearch !== '',
    showMore,
    retry: () => setRound((n) => n + 1),
  };
}
