// The list the composer opens when the text starts with "/": the company's quick replies, filtered by what
// follows the slash. Focus stays in the text box (arrows move, Enter chooses, Escape closes; Tab still leaves);
// the active option is announced through aria-activedescendant.
import type { QuickReply } from '../../lib/api/settings';
import './quick-replies.css';

export const PICKER_ID = 'quick-reply-list';
export const optionId = (id: string) => `quick-reply-${id}`;

export interface QuickReplyPickerProps {
  /** null while loading. */
  matches: QuickReply[] | null;
  /** Every quick reply the company has (to tell "none yet" from "none match"). */
  total: number;
  query: string;
  active: number;
  error: string | null;
  onChoose: (reply: QuickReply) => void;
}

export function QuickReplyPicker(props: QuickReplyPickerProps) {
  const { matches } = props;
  let note: string | null = null;
  if (props.error) note = `Quick replies could not be loaded: ${props.error}`;
  else if (matches === null) note = 'Loading quick replies…';
  else if (props.total === 0) note = 'No quick replies yet: a manager can add them in Settings.';
  else if (matches.length === 0) note = `No quick reply matches “/${props.query}”.`;
  return (
    <div class="quick-reply-picker" data-testid="quick-reply-picker">
      {note ? (
        <p class={props.error ? 'error small' : 'muted small'} role="status">
          {note}
        </p>
      ) : (
        <div id={PICKER_ID} role="listbox" aria-label="Quick replies" class="quick-reply-options">
          {matches?.map((r, i) => (
            // The text box keeps the keyboard (see composer.tsx); a tap chooses without taking focus from it.
            // biome-ignore lint/a11y/useKeyWithClickEvents: arrows and Enter are handled by the text box that owns this list
            <div
              key={r.id}
              id={optionId(r.id)}
              role="option"
              tabIndex={-1}
              aria-selected={i === props.active}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => props.onChoose(r)}
            >
              <strong>/{r.shortcut}</strong>
              <span class="quick-reply-text">
                {r.interactive && (
                  <>
                    <span aria-hidden="true">☷ </span>
                    <span class="visually-hidden">Asks with buttons or a list: </span>
                  </>
                )}
                {r.text}
              </span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
