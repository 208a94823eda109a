// The composer follows Meta's rules (composer-mode.ts): no WhatsApp actions when the company has it off,
// a banner and nothing to type when the person opted out, free text inside the 24-hour window, an approved
// template outside it.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TemplateSend } from '../../lib/api';
import { windowLabel } from '../../lib/window';
import { TemplatePicker, type TemplatePickerProps } from '../template-picker/template-picker';
import type { ComposerMode } from './composer-mode';
import './composer.css';

export interface ComposerProps {
  mode: ComposerMode;
  windowExpiresAt: string | null | undefined;
  now: number;
  person: TemplatePickerProps['person'];
  templates: TemplatePickerProps['templates'];
  templatesError?: string | null;
  /** The send: resolves when accepted, throws with the reason in words when refused. */
  onSend: (message: { text: string } | { template: TemplateSend }) => Promise<void>;
  loadPreview?: TemplatePickerProps['loadPreview'];
  /** Focus the text box on open (Reply from the profile). */
  autoFocus?: boolean;
}

export function Composer(props: ComposerProps) {
  const { mode } = props;
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  // Reply from the profile lands here ready to type.
  useEffect(() => {
    if (props.autoFocus) textRef.current?.focus();
  }, [props.autoFocus, mode.kind]);

  if (mode.kind === 'disabled') return null;
  if (mode.kind === 'opted_out')
    return (
      <div class="composer banner" role="status" data-testid="opted-out-banner">
        <strong>{props.person.first_name} opted out of WhatsApp.</strong> No messages can be sent. Only they can opt
        back in, by sending START.
      </div>
    );

  const send = async (message: { text: string } | { template: TemplateSend }) => {
    setBusy(true);
    setRefusal(null);
    try {
      await props.onSend(message);
      if ('text' in message) setText('');
    } catch (err) {
      setRefusal(err instanceof Error ? err.message : 'The message was not sent');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="composer" data-mode={mode.kind}>
      {refusal && (
        <p role="alert" class="error">
          Not sent: {refusal}
        </p>
      )}
      {mode.kind === 'free_text' ? (
        <form
          class="composer-text"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) void send({ text: text.trim() });
          }}
        >
          <span class="chip chip-open">
            <span class="visually-hidden">Reply window </span>
            {windowLabel(props.windowExpiresAt, props.now)}
          </span>
          <div class="composer-row">
            <textarea
              aria-label="Message"
              placeholder="Message"
              rows={1}
              maxLength={4096}
              value={text}
              ref={textRef}
              onInput={(e) => setText(e.currentTarget.value)}
              onKeyDown={(e) => {
                // Enter sends on a desktop keyboard; Shift+Enter is a new line.
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  if (text.trim()) void send({ text: text.trim() });
                }
              }}
            />
            <button type="submit" class="send" aria-label="Send" disabled={busy || !text.trim()}>
              ➤
            </button>
          </div>
        </form>
      ) : (
        <div class="composer-template">
          <p class="muted small">
            The 24-hour reply window is closed: WhatsApp only allows an approved template until they write again.
          </p>
          <TemplatePicker
            templates={props.templates}
            loadError={props.templatesError}
            person={props.person}
            busy={busy}
            loadPreview={props.loadPreview}
            onSend={(template) => void send({ template })}
          />
        </div>
      )}
    </div>
  );
}
