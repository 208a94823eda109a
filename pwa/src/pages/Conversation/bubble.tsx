import { formatBytes } from '#common/media';
import { PaperclipIcon } from '../../components/attach/attach-button';
import { Ticks } from '../../components/ticks/ticks';
import type { InboxMessage } from '../../lib/api/inbox';
import { beforeErasure, ERASED_TEXT } from '../../lib/erased';
import { failureText } from '../../lib/failure-text';
import { shortTime } from '../../lib/format';
import { ChoiceTag, InteractiveActions, InteractiveFooter, InteractiveHeader } from './interactive-parts';

/** A message we are still sending: shown at once, replaced by the stored message when the send answers. */
export interface PendingMessage {
  key: string;
  text: string;
}

/** Sent by no one on the staff: an away reply or an automated item says so on the bubble. */
const automatic = (m: InboxMessage): boolean =>
  m.direction === 'outbound' &&
  (m.actor?.kind === 'system' || m.actor?.kind === 'automation' || m.actor?.kind === 'broadcast');

function templateText(m: InboxMessage): string | null {
  if (!m.template) return null;
  const values = Array.isArray(m.template.params) ? m.template.params : Object.values(m.template.params);
  const params = values.length ? `: ${values.join(', ')}` : '';
  return `Template ${m.template.name}${params}`;
}

/** A file's line: its name (or kind) and, when known, its size. */
function fileLabel(m: InboxMessage, media: NonNullable<InboxMessage['media']>): string {
  const name = media.filename || `${m.message_type ?? 'file'}${media.mime_type ? ` (${media.mime_type})` : ''}`;
  return media.size !== null ? `${name} · ${formatBytes(media.size)}` : name;
}

function Media({ m }: { m: InboxMessage }) {
  const media = m.media;
  if (!media) return null;
  // Through our proxy only: a file we sent by link stays a link, so opening the chat never calls another site.
  const proxied = media.id !== null;
  if (proxied && (media.mime_type?.startsWith('image/') || m.message_type === 'image' || m.message_type === 'sticker'))
    return (
      <a href={media.url} target="_blank" rel="noreferrer">
        <img class="media" src={media.url} alt={media.caption || 'Photo'} loading="lazy" />
      </a>
    );
  return (
    <a
      class="file"
      href={media.url}
      download={proxied ? (media.filename ?? undefined) : undefined}
      target={proxied ? undefined : '_blank'}
      rel={proxied ? undefined : 'noreferrer'}
    >
      <PaperclipIcon /> {proxied ? 'Download' : 'Open'} {fileLabel(m, media)}
    </a>
  );
}

/** `erasedAt`: the person's latest erasure; a message from before it has no text left and says why. */
export function Bubble({
  m,
  highlighted,
  erasedAt,
}: {
  m: InboxMessage;
  highlighted: boolean;
  erasedAt?: string | null;
}) {
  const out = m.direction === 'outbound';
  const erased = !m.body && !m.template && !m.media && beforeErasure(m.occurred_at, erasedAt);
  const body = erased
    ? ERASED_TEXT
    : (m.body ?? templateText(m) ?? (m.media ? null : m.message_type ? `[${m.message_type}]` : null));
  return (
    <li
      id={`m-${m.id}`}
      class={`bubble ${out ? 'out' : 'in'}${highlighted ? ' highlighted' : ''}${m.status === 'failed' ? ' failed' : ''}`}
      data-testid="bubble"
      data-status={m.status ?? ''}
      tabIndex={highlighted ? -1 : undefined}
    >
      {m.quoted && (
        <blockquote class="quoted">
          <span class="small muted">{m.quoted.direction === 'outbound' ? 'You' : 'Them'}</span>
          <span>{m.quoted.body ?? `[${m.quoted.message_type ?? 'message'}]`}</span>
        </blockquote>
      )}
      <Media m={m} />
      {m.media?.caption && <p class="text">{m.media.caption}</p>}
      {m.choice && <ChoiceTag choice={m.choice} />}
      {m.interactive && <InteractiveHeader m={m.interactive} />}
      {body && body !== m.media?.caption && <p class={erased ? 'text muted' : 'text'}>{body}</p>}
      {m.choice?.description && <p class="small muted">{m.choice.description}</p>}
      {m.interactive && <InteractiveFooter m={m.interactive} />}
      <span class="meta">
        {automatic(m) && <span class="automatic">{m.actor?.name}</span>}
        <time dateTime={m.occurred_at}>{shortTime(m.occurred_at)}</time>
        {out && <Ticks status={m.status} />}
      </span>
      {m.interactive && <InteractiveActions m={m.interactive} />}
      {m.status === 'failed' && (
        <p class="fail-reason" role="note">
          Not delivered: {failureText(m.error)}
        </p>
      )}
      {m.reactions.length > 0 && (
        <span class="reactions">
          <span class="visually-hidden">Reactions: </span>
          {m.reactions
            .filter((r) => r.emoji)
            .map((r) => (
              <span key={r.direction} title={r.direction === 'inbound' ? 'Their reaction' : 'Your reaction'}>
                {r.emoji}
              </span>
            ))}
        </span>
      )}
    </li>
  );
}

export function PendingBubble({ p }: { p: PendingMessage }) {
  return (
    <li class="bubble out pending" data-testid="bubble" data-status="pending">
      <p class="text">{p.text}</p>
      <span class="meta">
        <Ticks status="pending" />
      </span>
    </li>
  );
}
