// The broadcast form: a name, an approved template and what fills each variable, the audience, when it starts
// and the hours it may send, in the gym's timezone. Mistakes are named under their field before anything is
// sent; the server's refusal is shown the same way.
import { useState } from 'preact/hooks';
import { AdFilter } from '../../components/ad-filter/ad-filter';
import type { TemplateOption } from '../../lib/api/automations';
import type { BroadcastInput } from '../../lib/api/broadcasts';
import type { Club } from '../../lib/api/clubs';
import type { Label, Stage } from '../../lib/api/pipeline';
import { Checks, defaultChoices, FieldError, invalid, VariableField } from '../Automations/form-fields';
import { STATUS_LABELS } from '../Automations/form-state';
import {
  type BroadcastForm,
  checkBroadcastForm,
  type FormErrors,
  inputOfBroadcast,
  type PersonStatus,
  type SaleType,
} from './broadcast-form-state';

export interface BroadcastFormProps {
  initial: BroadcastForm;
  templates: TemplateOption[];
  clubs: Club[];
  stages: Stage[];
  labels: Label[];
  timeZone: string;
  submitLabel: string;
  onSubmit: (input: BroadcastInput) => Promise<void>;
}

const byId = <T extends { id: string; name: string }>(rows: T[]): Record<string, string> =>
  Object.fromEntries(rows.map((r) => [r.id, r.name]));

export function BroadcastFormView(props: BroadcastFormProps) {
  const [values, setValues] = useState(props.initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<BroadcastForm>) => setValues((v) => ({ ...v, ...patch }));
  const template = props.templates.find((t) => `${t.name}:${t.language}` === values.template);

  async function submit(e: Event) {
    e.preventDefault();
    const found = checkBroadcastForm(values, props.templates);
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await props.onSubmit(inputOfBroadcast(values, props.timeZone));
    } catch (err) {
      setFormError(err instanceof Error ? err.message : 'Could not save');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="automation-form broadcast-form" aria-label="Broadcast" onSubmit={(e) => void submit(e)} noValidate>
      {formError && (
        <p role="alert" class="error form-error">
          {formError}
        </p>
      )}
      <label>
        Name
        <input
          value={values.name}
          maxLength={200}
          placeholder="Summer open day"
          onInput={(e) => set({ name: e.currentTarget.value })}
          {...invalid('err-name', errors.name)}
        />
      </label>
      <FieldError id="err-name" error={errors.name} />

      <fieldset>
        <legend>Message</legend>
        <label>
          Approved template
          <select
            value={values.template}
            onChange={(e) => {
              const key = e.currentTarget.value;
              const next = props.templates.find((t) => `${t.name}:${t.language}` === key);
              set({ template: key, variables: defaultChoices(next) });
            }}
            {...invalid('err-template', errors.template)}
          >
            <option value="">Choose…</option>
            {props.templates.map((t) => (
              <option key={`${t.name}:${t.language}`} value={`${t.name}:${t.language}`}>
                {t.name} ({t.language}, {t.category.toLowerCase()})
              </option>
            ))}
          </select>
        </label>
        <FieldError id="err-template" error={errors.template} />
        {template && <p class="template-body muted small">{template.body}</p>}
        {template?.variables.map((name) => (
          <VariableField
            key={name}
            name={name}
            mapped={template.variableMap[name] !== undefined}
            choice={values.variables[name] ?? { source: '', text: '' }}
            error={errors[`variable:${name}`]}
            onChange={(patch) =>
              set({
                variables: {
                  ...values.variables,
                  [name]: { ...(values.variables[name] ?? { source: '', text: '' }), ...patch },
                },
              })
            }
          />
        ))}
      </fieldset>

      <Checks<PersonStatus>
        legend="Who"
        hint="None ticked: everyone."
        labels={STATUS_LABELS}
        values={values.statuses}
        onChange={(statuses) => set({ statuses })}
      />
      <Checks<SaleType>
        legend="Sale type"
        hint="None ticked: both."
        labels={{ membership: 'Membership', secondary: 'Secondary Sales' }}
        values={values.saleTypes}
        onChange={(saleTypes) => set({ saleTypes })}
      />
      {props.clubs.length > 1 && (
        <Checks
          legend="Clubs"
          hint="None ticked: every club you see."
          labels={byId(props.clubs)}
          values={values.clubIds}
          onChange={(clubIds) => set({ clubIds })}
        />
      )}
      {props.stages.length > 0 && (
        <Checks
          legend="Stages"
          hint="None ticked: any stage."
          labels={byId(props.stages)}
          values={values.stageIds}
          onChange={(stageIds) => set({ stageIds })}
        />
      )}
      {props.labels.length > 0 && (
        <Checks
          legend="Labels"
          hint="Wearing any of those ticked; none: labels do not matter."
          labels={byId(props.labels)}
          values={values.labelIds}
          onChange={(labelIds) => set({ labelIds })}
        />
      )}
      <AdFilter label="Lead source" value={values.adSource} onChange={(adSource) => set({ adSource })} />
      <p class="muted small">From a click-to-WhatsApp ad: any of them, or one. A person's first ad counts.</p>
      <fieldset>
        <legend>Last contact</legend>
        <div class="two-up">
          <label>
            After
            <input type="date" value={values.lastAfter} onInput={(e) => set({ lastAfter: e.currentTarget.value })} />
          </label>
          <label>
            Before
            <input
              type="date"
              value={values.lastBefore}
              onInput={(e) => set({ lastBefore: e.currentTarget.value })}
              {...invalid('err-last', errors.lastContact)}
            />
          </label>
        </div>
        <FieldError id="err-last" error={errors.lastContact} />
        <p class="muted small">The last message either way. "Before" also takes people never messaged.</p>
      </fieldset>
      <label class="check">
        <input
          type="checkbox"
          checked={values.consentRecorded}
          onChange={(e) => set({ consentRecorded: e.currentTarget.checked })}
        />
        Only people with WhatsApp consent recorded
      </label>

      <fieldset>
        <legend>When ({props.timeZone})</legend>
        <label>
          Starts
          <input
            type="datetime-local"
            value={values.startAt}
            onInput={(e) => set({ startAt: e.currentTarget.value })}
            {...invalid('err-start-at', errors.startAt)}
          />
        </label>
        <FieldError id="err-start-at" error={errors.startAt} />
        <div class="two-up">
          <label>
            Send from
            <input
              type="time"
              value={values.windowStart}
              onInput={(e) => set({ windowStart: e.currentTarget.value })}
              {...invalid('err-window', errors.window)}
            />
          </label>
          <label>
            Until
            <input type="time" value={values.windowEnd} onInput={(e) => set({ windowEnd: e.currentTarget.value })} />
          </label>
        </div>
        <FieldError id="err-window" error={errors.window} />
        <p class="muted small">In the gym's timezone. Outside these hours it waits, and goes on the next day.</p>
      </fieldset>

      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Saving…' : props.submitLabel}
      </button>
    </form>
  );
}
