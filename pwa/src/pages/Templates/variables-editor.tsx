// Per variable: the sample Meta's reviewers read, and the person field that fills it when a send leaves it out.
import { isPersonField, PERSON_FIELD_LABELS, PERSON_FIELDS, type PersonField } from '#common/person-fields';
import { FieldErrors, invalidProps } from './field-errors';

export interface VariablesEditorProps {
  variables: readonly string[];
  samples: Readonly<Record<string, string>>;
  mapping: Readonly<Record<string, PersonField | ''>>;
  problems: (field: string) => string[] | undefined;
  onSample: (name: string, value: string) => void;
  onMapping: (name: string, field: PersonField | '') => void;
  onTouch: (field: string) => void;
}

/** `header.1` is the header's {{1}}; the rest are the body's. */
export const variableLabel = (name: string) =>
  name.startsWith('header.') ? `Header {{${name.slice('header.'.length)}}}` : `{{${name}}}`;

export function VariablesEditor(props: VariablesEditorProps) {
  const { variables, samples, mapping, problems } = props;
  if (variables.length === 0) return null;
  return (
    <fieldset class="tpl-fieldset">
      <legend>Variables</legend>
      <p class="muted small">
        Meta reviews the template with the samples. “Filled from” fills the variable for each person when a send leaves
        it out (automated items, and the composer's prefill).
      </p>
      {variables.map((name) => (
        <div class="tpl-variable" key={name} data-testid="variable-row">
          <label>
            Sample for {variableLabel(name)}
            <input
              value={samples[name] ?? ''}
              // The rule is about the samples as a whole; only the empty ones are at fault.
              {...invalidProps('samples', (samples[name] ?? '').trim() === '' ? problems('samples') : undefined)}
              onInput={(e) => props.onSample(name, e.currentTarget.value)}
              onBlur={() => props.onTouch('samples')}
            />
          </label>
          <label>
            {variableLabel(name)} filled from
            <select
              value={mapping[name] ?? ''}
              onChange={(e) => {
                const v = e.currentTarget.value;
                props.onMapping(name, isPersonField(v) ? v : '');
              }}
            >
              <option value="">Nothing: typed when sending</option>
              {PERSON_FIELDS.map((field) => (
                <option key={field} value={field}>
                  {PERSON_FIELD_LABELS[field]}
                </option>
              ))}
            </select>
          </label>
        </div>
      ))}
      <FieldErrors field="samples" problems={problems('samples')} />
      <FieldErrors field="mapping" problems={problems('mapping')} />
    </fieldset>
  );
}
