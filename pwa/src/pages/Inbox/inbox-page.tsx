import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { AdFilter } from '../../components/ad-filter/ad-filter';
import { ClubFilter } from '../../components/club-filter/club-filter';
import { LeadFilter } from '../../components/lead-filter/lead-filter';
import { NewChatSheet } from '../../components/new-chat/new-chat-sheet';
import { PushPrompt } from '../../components/push-prompt/push-prompt';
import { Ticks } from '../../components/ticks/ticks';
import { WindowChip } from '../../components/window-chip/window-chip';
import { type Conversation, type InboxFilters, listConversations } from '../../lib/api/inbox';
import { type ConversationCounts, conversationCounts } from '../../lib/api/owners';
import { now } from '../../lib/clock';
import { shortTime } from '../../lib/format';
import { inboxVersion } from '../../lib/live';
import { me } from '../../lib/session';
import { useClubs } from '../../lib/use-clubs';
import { AppHeader } from '../app-header';
import './inbox.css';

const FILTERS: { key: 'unread' | 'window_open' | 'opted_out'; label: string }[] = [
  { key: 'unread', label: 'Unread' },
  { key: 'window_open', label: 'Window open' },
  { key: 'opted_out', label: 'Opted out' },
];

/** A view is an owner filter, or Mentions: the chats whose notes mention me and that I have not read. */
type View = Pick<InboxFilters, 'owner' | 'mentions'>;

const VIEWS: { view: View; label: string; count: keyof ConversationCounts; counted: string }[] = [
  { view: { owner: 'me' }, label: 'Mine', count: 'mine', counted: 'unread' },
  { view: { owner: 'none' }, label: 'Unassigned', count: 'unassigned', counted: 'unread' },
  { view: {}, label: 'All', count: 'all', counted: 'unread' },
  { view: { mentions: true }, label: 'Mentions', count: 'mentions', counted: 'with unread mentions' },
];

const sameView = (a: View, b: View) => a.owner === b.owner && Boolean(a.mentions) === Boolean(b.mentions);

/**
 * Mine / Unassigned / All, each with how many of its conversations have unread messages (in the club shown), and
 * Mentions with how many chats mention me unread.
 */
function ViewTabs(props: { view: View; club: string | undefined; onPick: (view: View) => void; version: number }) {
  const [counts, setCounts] = useState<ConversationCounts | null>(null);
  useEffect(() => {
    let stale = false;
    conversationCounts(props.club)
      .then((c) => !stale && setCounts(c))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [props.version, props.view.owner, props.view.mentions, props.club]);
  return (
    <div class="views" role="tablist" aria-label="Inbox views">
      {VIEWS.map((v) => {
        const n = counts?.[v.count] ?? 0;
        return (
          <button
            key={v.label}
            type="button"
            role="tab"
            class="view-tab"
            aria-selected={sameView(props.view, v.view)}
            onClick={() => props.onPick(v.view)}
          >
            {v.label}
            {n > 0 && (
              <span class="badge" data-testid={`view-count-${v.count}`}>
                {n}
                <span class="visually-hidden"> {v.counted}</span>
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}

function Row({ c }: { c: Conversation }) {
  const last = c.last_message;
  return (
    <li>
      <a class="row" href={`/c/${c.person_id}`} data-testid="conversation-row" data-person={c.person_id}>
        <span class="avatar" aria-hidden="true">
          {c.name.slice(0, 1).toUpperCase()}
        </span>
        <span class="row-main">
          <span class="row-top">
            <span class="row-name">{c.name}</span>
            <time class={c.unread_count > 0 ? 'unread-time' : 'muted'} dateTime={c.last_message_at ?? undefined}>
              {shortTime(c.last_message_at)}
            </time>
          </span>
          <span class="row-bottom">
            <span class="row-preview">
              {last?.direction === 'outbound' && <Ticks status={last.status} />}
              {last ? last.preview : <em class="muted">No messages yet</em>}
            </span>
            {c.unread_count > 0 && (
              <span class="badge" data-testid="unread-badge">
                {c.unread_count}
                <span class="visually-hidden"> unread</span>
              </span>
            )}
          </span>
          <span class="row-chips">
            <WindowChip expiresAt={c.window_expires_at} now={now.value} />
            {c.opted_out && <span class="chip chip-danger">Opted out</span>}
            {c.last_failed && <span class="chip chip-danger">Failed</span>}
            {c.mentions_unread > 0 && (
              <span class="chip chip-mention" data-testid="mention-chip">
                @ Mentioned
              </span>
            )}
          </span>
        </span>
      </a>
    </li>
  );
}

/** Filters a link may open the inbox with: ?ad=<Meta's ad id> (an ad in Reports) or ?source=ad. */
function linkedFilters(query: Record<string, string>): InboxFilters {
  if (query.ad) return { ad: query.ad };
  return query.source === 'ad' ? { source: 'ad' } : {};
}

export function InboxPage() {
  const { query } = useLocation();
  const [filters, setFilters] = useState<InboxFilters>(() => linkedFilters(query));
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<Conversation[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [newChat, setNewChat] = useState(false);
  const version = inboxVersion.value;
  const clubs = useClubs();

  // Search waits for a pause in typing; filters and live events refetch at once.
  useEffect(() => {
    const t = setTimeout(() => setFilters((f) => ({ ...f, q: search })), 250);
    return () => clearTimeout(t);
  }, [search]);

  useEffect(() => {
    let stale = false;
    listConversations(filters)
      .then((page) => {
        if (stale) return;
        setRows(page.collection);
        setNext(page.pagination.next_cursor ?? null);
        setError(null);
      })
      .catch((err: unknown) => !stale && setError(err instanceof Error ? err.message : 'Could not load the inbox'));
    return () => {
      stale = true;
    };
  }, [filters, version]);

  const filtering = Boolean(
    filters.q ||
      filters.unread ||
      filters.window_open ||
      filters.opted_out ||
      filters.club ||
      filters.stages?.length ||
      filters.labels?.length ||
      filters.source ||
      filters.ad,
  );

  // Older conversations, a page at a time (keyset: as fast deep down as at the top). A live event or a
  // filter change starts again from the newest.
  const showMore = () => {
    if (!next || loadingMore) return;
    setLoadingMore(true);
    listConversations(filters, next)
      .then((page) => {
        setRows((shown) => {
          const seen = new Set((shown ?? []).map((c) => c.person_id));
          return [...(shown ?? []), ...page.collection.filter((c) => !seen.has(c.person_id))];
        });
        setNext(page.pagination.next_cursor ?? null);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : 'Could not load more chats'))
      .finally(() => setLoadingMore(false));
  };

  return (
    <div class="page inbox">
      <AppHeader title="Chats" />
      <ViewTabs
        view={{ owner: filters.owner, mentions: filters.mentions }}
        club={filters.club}
        version={version}
        onPick={(view) => setFilters((cur) => ({ ...cur, owner: view.owner, mentions: view.mentions }))}
      />
      <div class="inbox-tools">
        <input
          type="search"
          aria-label="Search by name or phone"
          placeholder="Search name, phone or email"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
        <fieldset class="filters">
          <legend class="visually-hidden">Filters</legend>
          <ClubFilter clubs={clubs} value={filters.club} onChange={(club) => setFilters((cur) => ({ ...cur, club }))} />
          <LeadFilter
            value={{ stages: filters.stages ?? [], labels: filters.labels ?? [] }}
            onChange={(v) => setFilters((cur) => ({ ...cur, stages: v.stages, labels: v.labels }))}
          />
          <AdFilter value={filters} onChange={({ source, ad }) => setFilters((cur) => ({ ...cur, source, ad }))} />
          {FILTERS.map((f) => (
            <button
              key={f.key}
              type="button"
              class="filter"
              aria-pressed={filters[f.key] === true}
              onClick={() => setFilters((cur) => ({ ...cur, [f.key]: !cur[f.key] }))}
            >
              {f.label}
            </button>
          ))}
        </fieldset>
      </div>
      {me.value && <PushPrompt userId={me.value.user.id} />}
      <main>
        {error ? (
          <div class="center">
            <p role="alert" class="error">
              {error}
            </p>
            <button type="button" onClick={() => setFilters((f) => ({ ...f }))}>
              Try again
            </button>
          </div>
        ) : rows === null ? (
          <p class="center muted" aria-busy="true">
            Loading chats…
          </p>
        ) : rows.length === 0 ? (
          <p class="center muted">
            {filtering
              ? 'No chats match.'
              : filters.mentions
                ? 'Nothing mentions you. When a colleague @mentions you in a note, the chat shows here.'
                : filters.owner === 'me'
                  ? 'No chats of yours yet. Claim or get assigned a lead and it appears here.'
                  : filters.owner === 'none'
                    ? 'Every chat has an owner.'
                    : 'No chats yet. New WhatsApp messages appear here.'}
          </p>
        ) : (
          <>
            <ul class="conversations" aria-label="Chats">
              {rows.map((c) => (
                <Row key={c.person_id} c={c} />
              ))}
            </ul>
            {next && (
              <button type="button" class="show-more" onClick={showMore} aria-busy={loadingMore}>
                {loadingMore ? 'Loading…' : 'Show older chats'}
              </button>
            )}
          </>
        )}
      </main>
      <button type="button" class="primary new-chat-fab" onClick={() => setNewChat(true)}>
        New chat
      </button>
      {newChat && <NewChatSheet onClose={() => setNewChat(false)} />}
    </div>
  );
}
