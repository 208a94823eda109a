// What an interactive message looks like in the chat, as WhatsApp draws it on the person's phone: a sent question's
// header and footer around its text, its reply buttons (or its list button, with the rows it offers, or its link)
// under the bubble; and the person's answer, marked as a tap on one of them.
import type { InboxMessage } from '../../lib/api/inbox';

type Sent = NonNullable<InboxMessage['interactive']>;

export function InteractiveHeader({ m }: { m: Sent }) {
  return m.header?.type === 'text' ? <p class="ia-header">{m.header.text}</p> : null;
}

export function InteractiveFooter({ m }: { m: Sent }) {
  return m.footer ? <p class="ia-footer small muted">{m.footer.text}</p> : null;
}

/** The parts the person taps, drawn under the text; here they only show what was offered. */
export function InteractiveActions({ m }: { m: Sent }) {
  if (m.type === 'button')
    return (
      <ul class="ia-buttons" aria-label="Reply buttons">
        {m.action.buttons.map((b) => (
          <li key={b.reply.id}>↩ {b.reply.title}</li>
        ))}
      </ul>
    );
  if (m.type === 'list') {
    const rows = m.action.sections.flatMap((s) => s.rows);
    return (
      <details class="ia-list">
        <summary>
          <span aria-hidden="true">☰ </span>
          {m.action.button}
          <span class="visually-hidden"> (a list of {rows.length} choices)</span>
        </summary>
        {m.action.sections.map((s, i) => (
          <div key={i}>
            {s.title && <p class="ia-section small muted">{s.title}</p>}
            <ul>
              {s.rows.map((r) => (
                <li key={r.id}>
                  {r.title}
                  {r.description && <span class="small muted"> · {r.description}</span>}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </details>
    );
  }
  return (
    <a class="ia-link" href={m.action.parameters.url} target="_blank" rel="noreferrer noopener">
      ↗ {m.action.parameters.display_text}
    </a>
  );
}

/** The person's answer: which button they tapped or which row they chose. */
export function ChoiceTag({ choice }: { choice: NonNullable<InboxMessage['choice']> }) {
  return (
    <span class="ia-choice small muted">{choice.kind === 'button' ? 'Tapped a button' : 'Chose from the list'}</span>
  );
}
