// The parts the automated item form is built of: a field's error wired for screen readers, a group of
// checkboxes, and one template variable's source (a person field, the template's own mapping, or fixed words).
import { isPersonField, PERSON_FIELD_LABELS, PERSON_FIELDS } from '#common/person-fields';
import type { TemplateOption } from '../../lib/api/automations';
import type { VariableChoice } from './form-state';

/** A new template's variables: its own mapping where it has one, a person field named like the variable. */
export function defaultChoices(template: TemplateOption | undefined): Record<string, VariableChoice> {
  const out: Record<string, VariableChoice> = {};
  for (const name of template?.variables ?? [])
    out[name] = { source: template?.variableMap[name] === undefined && isPersonField(name) ? name : '', text: '' };
  return out;
}

export function FieldError(props: { id: string; error: string | undefined }) {
  if (!props.error) return null;
  return (
    <p id={props.id} class="error small field-error">
      {props.error}
    </p>
  );
}

/** aria wiring for a field that may carry an error. */
export const invalid = (id: string, error: string | undefined) =>
  error ? { 'aria-invalid': true as const, 'aria-describedby': id } : {};

export function Checks<T extends string>(props: {
  legend: string;
  hint: string;
  labels: Record<T, string>;
  values: T[];
  onChange: (values: T[]) => void;
}) {
  const all = Object.keys(props.labels) as T[];
  return (
    <fieldset class="checks">
      <legend>{props.legend}</legend>
      {all.map((value) => (
        <label key={value} class="check">
          <input
            type="checkbox"
            checked={props.values.includes(value)}
            onChange={(e) =>
              props.onChange(
                e.currentTarget.checked
                  ? all.filter((v) => v === value || props.values.includes(v))
                  : props.values.filter((v) => v !== value),
              )
            }
          />
          {props.labels[value]}
        </label>
      ))}
      <p class="muted small">{props.hint}</p>
    </fieldset>
  );
}

/** One variable of the chosen template: where its value comes from, and the words when they are fixed. */
export function VariableField(props: {
  name: string;
  /** The template maps this variable itself, so leaving it is allowed. */
  mapped: boolean;
  choice: VariableChoice;
  error: string | undefined;
  onChange: (patch: Partial<VariableChoice>) => void;
}) {
  const { name, choice, error } = props;
  const id = `err-var-${name.replace(/\W/g, '_')}`;
  return (
    <div class="variable">
      <label>
        {`Fills {{${name}}}`}
        <select
          value={choice.source}
          onChange={(e) => props.onChange({ source: e.currentTarget.value as VariableChoice['source'] })}
          {...invalid(id, choice.source === 'text' ? undefined : error)}
        >
          <option value="">{props.mapped ? "The template's own mapping" : 'Choose…'}</option>
          {PERSON_FIELDS.map((f) => (
            <option key={f} value={f}>
              {PERSON_FIELD_LABELS[f]}
            </option>
          ))}
          <option value="text">Fixed words…</option>
        </select>
      </label>
      {choice.source === 'text' && (
        <label>
          {`Words for {{${name}}}`}
          <input
            value={choice.text}
            maxLength={1024}
            onInput={(e) => props.onChange({ text: e.currentTarget.value })}
            {...invalid(id, error)}
          />
        </label>
      )}
      <FieldError id={id} error={error} />
    </div>
  );
}
