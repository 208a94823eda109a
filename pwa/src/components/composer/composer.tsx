// The composer follows Meta's rules (composer-mode.ts): no WhatsApp actions when the company has it off,
// a banner and nothing to type when the person opted out, free text inside the 24-hour window, an approved
// template outside it.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Interactive } from '#common/interactive/interactive-rules';
import { CAPTION_MAX, MEDIA_RULES } from '#common/media';
import type { TemplateSend } from '../../lib/api/people';
import type { QuickReply } from '../../lib/api/settings';
import { type Attachment, type MediaMessage, OFFLINE_ATTACHMENT } from '../../lib/attachment';
import { noteReplySent } from '../../lib/push-subscription';
import { windowLabel } from '../../lib/window';
import { AttachButton } from '../attach/attach-button';
import { AttachmentPreview } from '../attach/attachment-preview';
import { InteractiveBuilder } from '../interactive-builder/interactive-builder';
import { matchQuickReplies, quickReplyQuery } from '../quick-replies/match-quick-replies';
import { optionId, PICKER_ID, QuickReplyPicker } from '../quick-replies/quick-reply-picker';
import { type LoadQuickReplies, useQuickReplies } from '../quick-replies/use-quick-replies';
import { TemplatePicker, type TemplatePickerProps } from '../template-picker/template-picker';
import type { ComposerMode } from './composer-mode';
import './composer.css';

/** Free text, reply buttons / a list / a link button (inside the window), or a template (outside it). */
export type ComposerMessage = { text: string } | { template: TemplateSend } | { interactive: Interactive };

export interface ComposerProps {
  mode: ComposerMode;
  windowExpiresAt: string | null | undefined;
  now: number;
  person: TemplatePickerProps['person'];
  templates: TemplatePickerProps['templates'];
  templatesError?: string | null;
  /** The send: resolves when accepted, throws with the reason in words when refused. */
  onSend: (message: ComposerMessage) => Promise<void>;
  loadPreview?: TemplatePickerProps['loadPreview'];
  /** Uploads a template's header file picked instead of its own (the person's number): its media id. */
  uploadHeader?: TemplatePickerProps['uploadHeader'];
  /** Focus the text box on open (Reply from the profile). */
  autoFocus?: boolean;
  /** The company's quick replies for the "/" list (default: the API). */
  loadQuickReplies?: LoadQuickReplies;
  /** Sends a photo or file (uploads it first, reporting progress); without it, nothing can be attached. */
  onSendMedia?: (message: MediaMessage) => Promise<void>;
}

/** Why this caption cannot go with this file, or null. */
function captionProblem(attachment: Attachment, caption: string): string | null {
  if (caption && !MEDIA_RULES[attachment.type].caption)
    return 'WhatsApp allows no caption on this kind of file: send the text on its own';
  if (caption.length > CAPTION_MAX) return `A caption may be at most ${CAPTION_MAX} characters on WhatsApp`;
  return null;
}

export function Composer(props: ComposerProps) {
  const { mode } = props;
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [attachment, setAttachment] = useState<Attachment | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  // The buttons-and-lists sheet: open (from the text typed so far, or a saved interactive quick reply) or not.
  const [builder, setBuilder] = useState<{ initial?: Interactive } | null>(null);
  // "/" at the start of free text opens the quick replies; Escape closes them until the "/" is gone.
  const [pickerClosed, setPickerClosed] = useState(false);
  const [active, setActive] = useState(0);
  const query = mode.kind === 'free_text' ? quickReplyQuery(text) : null;
  const pickerOpen = query !== null && !pickerClosed;
  const quick = useQuickReplies(pickerOpen, props.loadQuickReplies);
  const matches = quick.replies && query !== null ? matchQuickReplies(quick.replies, query) : null;
  const activeReply = pickerOpen ? matches?.[Math.min(active, (matches?.length ?? 1) - 1)] : undefined;
  // Reply from the profile lands here ready to type.
  useEffect(() => {
    if (props.autoFocus) textRef.current?.focus();
  }, [props.autoFocus, mode.kind]);

  if (mode.kind === 'disabled') return null;
  if (mode.kind === 'erased')
    return (
      <div class="composer banner" role="status" data-testid="erased-banner">
        <strong>This person's data was erased at their request.</strong> No messages can be sent to their number until
        they give consent again.
      </div>
    );
  if (mode.kind === 'opted_out')
    return (
      <div class="composer banner" role="status" data-testid="opted-out-banner">
        <strong>{props.person.first_name} opted out of WhatsApp.</strong> No messages can be sent. Only they can opt
        back in, by sending START.
      </div>
    );

  const send = async (message: ComposerMessage) => {
    setBusy(true);
    setRefusal(null);
    try {
      await props.onSend(message);
      noteReplySent();
      if ('text' in message) setText('');
    } catch (err) {
      setRefusal(err instanceof Error ? err.message : 'The message was not sent');
    } finally {
      setBusy(false);
    }
  };

  const sendMedia = async (chosen: Attachment) => {
    const caption = text.trim();
    const problem = captionProblem(chosen, caption);
    if (problem) {
      setRefusal(problem);
      return;
    }
    // The outbox keeps text only: a file is never kept on the device to go later.
    if (typeof navigator !== 'undefined' && !navigator.onLine) {
      setRefusal(OFFLINE_ATTACHMENT);
      return;
    }
    setBusy(true);
    setRefusal(null);
    setProgress(0);
    try {
      await props.onSendMedia?.({ attachment: chosen, ...(caption ? { caption } : {}), onProgress: setProgress });
      noteReplySent();
      setAttachment(null);
      setText('');
    } catch (err) {
      setRefusal(err instanceof Error ? err.message : 'The file was not sent');
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const submit = () => {
    if (attachment) void sendMedia(attachment);
    else if (text.trim()) void send({ text: text.trim() });
  };

  const typed = (value: string) => {
    setText(value);
    setActive(0);
    if (quickReplyQuery(value) === null) setPickerClosed(false);
  };

  const choose = (reply: QuickReply) => {
    // A quick reply that asks with buttons or a list opens the builder with it, to check and send.
    if (reply.interactive) {
      setText('');
      setBuilder({ initial: reply.interactive });
      return;
    }
    setText(reply.text);
    // A quick reply's file (the timetable) comes with it, its text as the caption.
    const a = reply.attachment;
    if (a && props.onSendMedia)
      setAttachment({
        kind: 'saved',
        type: a.type,
        id: a.id,
        link: a.link,
        filename: a.filename,
        size: a.size,
        url: a.url,
      });
    setActive(0);
    const box = textRef.current;
    box?.focus();
    // The caret goes after the inserted text, ready to add to it.
    requestAnimationFrame(() => box?.setSelectionRange(reply.text.length, reply.text.length));
  };

  /** Keys the open "/" list takes; true when the key was for it. */
  const pickerKey = (e: KeyboardEvent): boolean => {
    if (!pickerOpen) return false;
    if (e.key === 'Escape') {
      setPickerClosed(true);
      return true;
    }
    if (!matches || matches.length === 0) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (Math.min(i, matches.length - 1) + step + matches.length) % matches.length);
      return true;
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      if (activeReply) choose(activeReply);
      return true;
    }
    return false;
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
            submit();
          }}
        >
          <span class="chip chip-open">
            <span class="visually-hidden">Reply window </span>
            {windowLabel(props.windowExpiresAt, props.now)}
          </span>
          {pickerOpen && (
            <QuickReplyPicker
              matches={matches}
              total={quick.replies?.length ?? 0}
              query={query ?? ''}
              active={activeReply && matches ? matches.indexOf(activeReply) : -1}
              error={quick.error}
              onChoose={choose}
            />
          )}
          {attachment && (
            <AttachmentPreview
              attachment={attachment}
              progress={progress}
              onRemove={() => {
                setAttachment(null);
                setRefusal(null);
              }}
            />
          )}
          <div class="composer-row">
            {props.onSendMedia && !attachment && (
              <AttachButton
                disabled={busy}
                onAttach={(a) => {
                  setRefusal(null);
                  setAttachment(a);
                  textRef.current?.focus();
                }}
                onRefuse={setRefusal}
              />
            )}
            <textarea
              aria-label={attachment ? 'Caption' : 'Message'}
              placeholder={
                attachment
                  ? 'Add a caption'
                  : props.onSendMedia
                    ? 'Message (/ for replies)'
                    : 'Message (/ for quick replies)'
              }
              rows={1}
              maxLength={4096}
              value={text}
              ref={textRef}
              aria-autocomplete="list"
              aria-controls={pickerOpen && matches?.length ? PICKER_ID : undefined}
              aria-activedescendant={activeReply ? optionId(activeReply.id) : undefined}
              onInput={(e) => typed(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (pickerKey(e)) {
                  e.preventDefault();
                  return;
                }
                // Enter sends on a desktop keyboard; Shift+Enter is a new line.
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  submit();
                }
              }}
            />
            {!attachment && (
              <button
                type="button"
                class="ask"
                aria-label="Ask with buttons or a list"
                title="Buttons, a list or a link"
                disabled={busy}
                onClick={() => setBuilder({})}
              >
                ☷
              </button>
            )}
            <button type="submit" class="send" aria-label="Send" disabled={busy || (!text.trim() && !attachment)}>
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
            uploadHeader={props.uploadHeader}
            onSend={(template) => void send({ template })}
          />
        </div>
      )}
      {builder && (
        <InteractiveBuilder
          initial={builder.initial}
          initialBody={text.trim()}
          busy={busy}
          onClose={() => setBuilder(null)}
          onSend={async (interactive) => {
            // The sheet shows a refusal itself; the text box empties once its words went as the question.
            await props.onSend({ interactive });
            noteReplySent();
            setText('');
          }}
        />
      )}
    </div>
  );
}
