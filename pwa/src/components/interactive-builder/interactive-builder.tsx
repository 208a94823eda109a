// The composer's sheet for asking with reply buttons, a list or a link button. Each field says what is wrong with
// it in words as it is typed (Meta's rules, the server's too: builder-state.ts), and Send stays off until every
// rule holds. Made for a 360 px phone: one column, the kind as three tabs, add and remove by thumb.
import { useState } from 'preact/hooks';
import type { Interactive } from '#common/interactive/interactive-rules';
import { Modal } from '../dialog/confirm-dialog';
import {
  type BuilderSection,
  type BuilderState,
  builderProblems,
  emptyBuilder,
  emptyRow,
  fromInteractive,
  LIMITS,
  rowCount,
  toInteractive,
} from './builder-state';
import './interactive-builder.css';

export interface InteractiveBuilderProps {
  /** What the composer's text box held: the question starts from it. */
  initialBody?: string;
  /** A saved question (an interactive quick reply) to check and send. */
  initial?: Interactive;
  busy?: boolean;
  /** Resolves when the send was accepted; throws the refusal in words (shown in the sheet). */
  onSend: (interactive: Interactive) => Promise<void>;
  onClose: () => void;
}

const KINDS = [
  { kind: 'button', label: 'Buttons' },
  { kind: 'list', label: 'List' },
  { kind: 'cta_url', label: 'Link' },
] as const;

const fieldId = (path: string) => `ib-${path.replace(/[^a-z0-9]+/gi, '-')}`;

function Problem({ path, problems, shown }: { path: string; problems: Map<string, string>; shown: boolean }) {
  const message = problems.get(path);
  if (!shown || !message) return null;
  return (
    <p class="ib-problem" id={`${fieldId(path)}-problem`} data-testid={`problem-${path}`}>
      {message}
    </p>
  );
}

interface TextFieldProps {
  label: string;
  path: string;
  value: string;
  max: number;
  problems: Map<string, string>;
  shown: (path: string) => boolean;
  onInput: (value: string) => void;
  multiline?: boolean;
  placeholder?: string;
  inputMode?: 'url';
}

/** A labelled input with Meta's limit counted beside it and its problem, in words, under it. */
function TextField(p: TextFieldProps) {
  const show = p.shown(p.path) && p.problems.has(p.path);
  const common = {
    id: fieldId(p.path),
    value: p.value,
    placeholder: p.placeholder,
    'aria-invalid': show,
    'aria-describedby': show ? `${fieldId(p.path)}-problem` : undefined,
    onInput: (e: Event) => p.onInput((e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value),
  };
  return (
    <div class="ib-field">
      <div class="ib-label">
        <label for={fieldId(p.path)}>{p.label}</label>
        <span class={p.value.trim().length > p.max ? 'ib-count error' : 'ib-count muted'} aria-hidden="true">
          {p.value.trim().length}/{p.max}
        </span>
      </div>
      {p.multiline ? <textarea rows={3} {...common} /> : <input inputMode={p.inputMode} {...common} />}
      <Problem path={p.path} problems={p.problems} shown={p.shown(p.path)} />
    </div>
  );
}

export function InteractiveBuilder(props: InteractiveBuilderProps) {
  const [state, setState] = useState<BuilderState>(() =>
    props.initial ? fromInteractive(props.initial) : emptyBuilder(props.initialBody ?? ''),
  );
  // A field's problem shows once it has been typed in, or everywhere after a Send that could not go.
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [tried, setTried] = useState(Boolean(props.initial));
  const [refusal, setRefusal] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const problems = builderProblems(state);
  const shown = (path: string) => tried || touched.has(path);

  const edit = (path: string, change: (s: BuilderState) => BuilderState) => {
    setState(change);
    setTouched((t) => new Set(t).add(path));
  };
  const setSections = (path: string, change: (sections: BuilderSection[]) => BuilderSection[]) =>
    edit(path, (s) => ({ ...s, sections: change(s.sections) }));
  const field = (label: string, path: string, value: string, max: number, onInput: (v: string) => void) => (
    <TextField label={label} path={path} value={value} max={max} problems={problems} shown={shown} onInput={onInput} />
  );

  const send = async () => {
    setTried(true);
    if (problems.size > 0) return;
    setSending(true);
    setRefusal(null);
    try {
      await props.onSend(toInteractive(state));
      props.onClose();
    } catch (err) {
      setRefusal(err instanceof Error ? err.message : 'The message was not sent');
    } finally {
      setSending(false);
    }
  };

  const rows = rowCount(state);
  return (
    <Modal title="Ask with buttons or a list" onClose={props.onClose}>
      <form
        class="ib"
        aria-label="Buttons or a list"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <div class="ib-kinds" role="radiogroup" aria-label="What the person taps">
          {KINDS.map((k) => (
            <label key={k.kind} class={state.kind === k.kind ? 'ib-kind on' : 'ib-kind'}>
              <input
                type="radio"
                name="ib-kind"
                value={k.kind}
                checked={state.kind === k.kind}
                onChange={() => setState((s) => ({ ...s, kind: k.kind }))}
              />
              {k.label}
            </label>
          ))}
        </div>
        {field('Header (optional)', 'header.text', state.header, LIMITS.header, (v) =>
          edit('header.text', (s) => ({ ...s, header: v })),
        )}
        <TextField
          label="Message"
          path="body.text"
          value={state.body}
          max={LIMITS.body}
          problems={problems}
          shown={shown}
          multiline
          onInput={(v) => edit('body.text', (s) => ({ ...s, body: v }))}
        />
        {field('Footer (optional)', 'footer.text', state.footer, LIMITS.footer, (v) =>
          edit('footer.text', (s) => ({ ...s, footer: v })),
        )}

        {state.kind === 'button' && (
          <fieldset class="ib-group">
            <legend>Reply buttons (up to {LIMITS.buttons})</legend>
            {state.buttons.map((title, i) => {
              const path = `action.buttons[${i}].reply.title`;
              return (
                <div class="ib-item" key={i}>
                  {field(`Button ${i + 1}`, path, title, LIMITS.buttonTitle, (v) =>
                    edit(path, (s) => ({ ...s, buttons: s.buttons.map((b, j) => (j === i ? v : b)) })),
                  )}
                  <button
                    type="button"
                    class="icon ib-remove"
                    aria-label={`Remove button ${i + 1}`}
                    onClick={() => setState((s) => ({ ...s, buttons: s.buttons.filter((_, j) => j !== i) }))}
                  >
                    ✕
                  </button>
                </div>
              );
            })}
            <Problem path="action.buttons" problems={problems} shown={tried} />
            {state.buttons.length < LIMITS.buttons && (
              <button
                type="button"
                class="ib-add"
                onClick={() => setState((s) => ({ ...s, buttons: [...s.buttons, ''] }))}
              >
                + Add button
              </button>
            )}
          </fieldset>
        )}

        {state.kind === 'list' && (
          <>
            {field('List button', 'action.button', state.listButton, LIMITS.listButton, (v) =>
              edit('action.button', (s) => ({ ...s, listButton: v })),
            )}
            {state.sections.map((section, si) => (
              <fieldset class="ib-group" key={si}>
                <legend>Section {si + 1}</legend>
                {field(
                  state.sections.length > 1 ? 'Section title' : 'Section title (optional)',
                  `action.sections[${si}].title`,
                  section.title,
                  LIMITS.sectionTitle,
                  (v) =>
                    setSections(`action.sections[${si}].title`, (all) =>
                      all.map((s, j) => (j === si ? { ...s, title: v } : s)),
                    ),
                )}
                {section.rows.map((row, ri) => {
                  const at = `action.sections[${si}].rows[${ri}]`;
                  const setRow = (path: string, change: Partial<typeof row>) =>
                    setSections(path, (all) =>
                      all.map((s, j) =>
                        j === si ? { ...s, rows: s.rows.map((r, k) => (k === ri ? { ...r, ...change } : r)) } : s,
                      ),
                    );
                  return (
                    <div class="ib-row" key={ri}>
                      <div class="ib-item">
                        {field(`Row ${ri + 1}`, `${at}.title`, row.title, LIMITS.rowTitle, (v) =>
                          setRow(`${at}.title`, { title: v }),
                        )}
                        <button
                          type="button"
                          class="icon ib-remove"
                          aria-label={`Remove row ${ri + 1} of section ${si + 1}`}
                          onClick={() =>
                            setSections(at, (all) =>
                              all.map((s, j) => (j === si ? { ...s, rows: s.rows.filter((_, k) => k !== ri) } : s)),
                            )
                          }
                        >
                          ✕
                        </button>
                      </div>
                      {field(
                        `Row ${ri + 1} description (optional)`,
                        `${at}.description`,
                        row.description,
                        LIMITS.rowDescription,
                        (v) => setRow(`${at}.description`, { description: v }),
                      )}
                      <Problem path={at} problems={problems} shown />
                    </div>
                  );
                })}
                <Problem path={`action.sections[${si}].rows`} problems={problems} shown={tried} />
                <div class="row-buttons">
                  {rows < LIMITS.rows && (
                    <button
                      type="button"
                      class="ib-add"
                      onClick={() =>
                        setState((s) => ({
                          ...s,
                          sections: s.sections.map((x, j) => (j === si ? { ...x, rows: [...x.rows, emptyRow()] } : x)),
                        }))
                      }
                    >
                      + Add row
                    </button>
                  )}
                  {state.sections.length > 1 && (
                    <button
                      type="button"
                      class="ib-add"
                      onClick={() => setState((s) => ({ ...s, sections: s.sections.filter((_, j) => j !== si) }))}
                    >
                      Remove section
                    </button>
                  )}
                </div>
              </fieldset>
            ))}
            <p class="muted small" aria-live="polite">
              {rows} of {LIMITS.rows} rows
            </p>
            {rows < LIMITS.rows && state.sections.length < LIMITS.sections && (
              <button
                type="button"
                class="ib-add"
                onClick={() =>
                  setState((s) => ({ ...s, sections: [...s.sections, { title: '', rows: [emptyRow()] }] }))
                }
              >
                + Add section
              </button>
            )}
          </>
        )}

        {state.kind === 'cta_url' && (
          <>
            {field('Button text', 'action.parameters.display_text', state.linkText, LIMITS.displayText, (v) =>
              edit('action.parameters.display_text', (s) => ({ ...s, linkText: v })),
            )}
            <TextField
              label="Link (https://…)"
              path="action.parameters.url"
              value={state.url}
              max={LIMITS.url}
              problems={problems}
              shown={shown}
              inputMode="url"
              onInput={(v) => edit('action.parameters.url', (s) => ({ ...s, url: v }))}
            />
          </>
        )}

        {refusal && (
          <p role="alert" class="error">
            Not sent: {refusal}
          </p>
        )}
        {tried && problems.size > 0 && (
          <p role="alert" class="error small">
            Fix what is marked above: WhatsApp would refuse it.
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={sending || props.busy || (tried && problems.size > 0)}>
            Send
          </button>
        </div>
      </form>
    </Modal>
  );
}
