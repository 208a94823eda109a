// The template's buttons: quick replies, a link, a phone number. Meta's caps and grouping come from the rules.
import { LIMITS } from '#common/templates/template-rules';
import { Counter, FieldErrors, invalidProps } from './field-errors';
import { type ButtonType, type DraftButton, newButton } from './template-draft';

const KINDS: { type: ButtonType; label: string; add: string }[] = [
  { type: 'QUICK_REPLY', label: 'Quick reply', add: 'Add quick reply' },
  { type: 'URL', label: 'Link', add: 'Add link button' },
  { type: 'PHONE_NUMBER', label: 'Phone call', add: 'Add phone button' },
];

export interface ButtonsEditorProps {
  buttons: readonly DraftButton[];
  problems: (field: string) => string[] | undefined;
  onChange: (buttons: DraftButton[]) => void;
  onTouch: (field: string) => void;
}

export function ButtonsEditor({ buttons, problems, onChange, onTouch }: ButtonsEditorProps) {
  const set = (j: number, patch: Partial<DraftButton>) =>
    onChange(buttons.map((b, i) => (i === j ? { ...b, ...patch } : b)));
  return (
    <fieldset class="tpl-fieldset">
      <legend>Buttons (optional)</legend>
      {buttons.map((b, j) => {
        const kind = KINDS.find((k) => k.type === b.type)?.label ?? b.type;
        const text = `button.${j}.text`;
        const url = `button.${j}.url`;
        const phone = `button.${j}.phone_number`;
        return (
          <div class="tpl-button-row" key={j} data-testid="button-row">
            <div class="tpl-button-head">
              <strong class="small">
                {j + 1}. {kind}
              </strong>
              <button type="button" class="link" onClick={() => onChange(buttons.filter((_, i) => i !== j))}>
                Remove<span class="visually-hidden"> button {j + 1}</span>
              </button>
            </div>
            <label>
              <span>
                Button {j + 1} text <Counter length={b.text.length} max={LIMITS.buttonText} />
              </span>
              <input
                value={b.text}
                {...invalidProps(text, problems(text))}
                onInput={(e) => set(j, { text: e.currentTarget.value })}
                onBlur={() => onTouch(text)}
              />
            </label>
            <FieldErrors field={text} problems={problems(text)} />
            {b.type === 'URL' && (
              <>
                <label>
                  Button {j + 1} link
                  <input
                    type="url"
                    inputMode="url"
                    placeholder="https://"
                    value={b.url}
                    {...invalidProps(url, problems(url))}
                    onInput={(e) => set(j, { url: e.currentTarget.value })}
                    onBlur={() => onTouch(url)}
                  />
                </label>
                <FieldErrors field={url} problems={problems(url)} />
              </>
            )}
            {b.type === 'PHONE_NUMBER' && (
              <>
                <label>
                  Button {j + 1} phone number
                  <input
                    type="tel"
                    inputMode="tel"
                    placeholder="+44…"
                    value={b.phone_number}
                    {...invalidProps(phone, problems(phone))}
                    onInput={(e) => set(j, { phone_number: e.currentTarget.value })}
                    onBlur={() => onTouch(phone)}
                  />
                </label>
                <FieldErrors field={phone} problems={problems(phone)} />
              </>
            )}
          </div>
        );
      })}
      <FieldErrors field="buttons" problems={problems('buttons')} />
      <div class="row-buttons">
        {KINDS.map((k) => (
          <button
            key={k.type}
            type="button"
            class="small"
            onClick={() => {
              onChange([...buttons, newButton(k.type)]);
              onTouch('buttons');
            }}
          >
            + {k.add}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
