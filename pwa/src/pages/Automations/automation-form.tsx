// Create and edit an automated item. The sentence above reads the item back as it is typed; the checks are
// the server's own rules in words (form-state.ts), and a refusal the server still makes lands on its field.
import { useEffect, useRef, useState } from 'preact/hooks';
import { AdFilter } from '../../components/ad-filter/ad-filter';
import { AutomationSentence } from '../../components/automation-sentence/automation-sentence';
import { SALE_TYPE_WORDS, timeZoneWords } from '../../components/automation-sentence/sentence';
import type { AutomationInput, PersonStatus, SaleType, TemplateOption, TriggerEvent } from '../../lib/api/automations';
import type { Club } from '../../lib/api/clubs';
import type { Label, Stage } from '../../lib/api/pipeline';
import { Checks, defaultChoices, FieldError, invalid, VariableField } from './form-fields';
import {
  audienceOf,
  type FieldErrors,
  type FormValues,
  inputOf,
  MAX_OFFSET_DAYS,
  MAX_OFFSET_HOURS,
  MIDNIGHT,
  offsetUnit,
  STATUS_LABELS,
  serverErrors,
  TRIGGER_LABELS,
  templateKey,
  triggerOf,
  type VariableChoice,
  validateForm,
  variableField,
} from './form-state';

export interface AutomationFormProps {
  initial: FormValues;
  templates: readonly TemplateOption[];
  /** The company's clubs: with more than one, the audience may pick some. */
  clubs?: readonly Club[];
  /** The pipeline's stages, for the stage_changed trigger and the audience. */
  stages?: readonly Stage[];
  /** The company's labels, for the audience. */
  labels?: readonly Label[];
  timeZone: string;
  submitLabel: string;
  /** Rejects with the server's refusal (ApiFailure); the form shows it on the fields it names. */
  onSubmit: (input: AutomationInput) => Promise<void>;
}

export function AutomationForm(props: AutomationFormProps) {
  const [values, setValues] = useState<FormValues>(props.initial);
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<{ fields: FieldErrors; form: string | null }>({ fields: {}, form: null });
  const [busy, setBusy] = useState(false);
  const [attempts, setAttempts] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  const template = props.templates.find((t) => templateKey(t) === values.template);
  const errors: FieldErrors = { ...(submitted ? validateForm(values, props.templates) : {}), ...server.fields };
  const unit = offsetUnit(values.event);
  const zone = timeZoneWords(props.timeZone);
  const clubLabels =
    props.clubs && props.clubs.length > 1 ? Object.fromEntries(props.clubs.map((c) => [c.id, c.name])) : null;
  const stageNames = Object.fromEntries((props.stages ?? []).map((s) => [s.id, s.name]));
  const labelNames = Object.fromEntries((props.labels ?? []).map((l) => [l.id, l.name]));

  // After a refused submit, focus goes to the first field in error so a keyboard or screen reader user lands there.
  useEffect(() => {
    if (attempts > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]')?.focus();
  }, [attempts]);

  const set = (patch: Partial<FormValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setServer({ fields: {}, form: null });
  };
  const setVariable = (name: string, patch: Partial<VariableChoice>) =>
    set({
      variables: { ...values.variables, [name]: { ...(values.variables[name] ?? { source: '', text: '' }), ...patch } },
    });

  async function submit(e: Event) {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(validateForm(values, props.templates)).length > 0) {
      setAttempts((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      await props.onSubmit(inputOf(values));
    } catch (err) {
      setServer(serverErrors(err));
      setAttempts((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} class="automation-form" noValidate onSubmit={submit} aria-label="Automated item">
      <div class="sentence-card">
        <AutomationSentence
          live
          trigger={triggerOf(values)}
          sendWindow={{ start: values.start, end: values.end }}
          templateName={template?.name ?? (values.template.split(':')[0] || null)}
          audience={audienceOf(values)}
          timeZone={props.timeZone}
          stageNames={stageNames}
          labelNames={labelNames}
        />
      </div>
      {server.form && (
        <p role="alert" class="error form-error" tabIndex={-1}>
          {server.form}
        </p>
      )}

      <label>
        Name
        <input
          value={values.name}
          maxLength={200}
          placeholder="Come back, 3 days after"
          onInput={(e) => set({ name: e.currentTarget.value })}
          {...invalid('err-name', errors.name)}
        />
      </label>
      <FieldError id="err-name" error={errors.name} />

      <fieldset>
        <legend>When</legend>
        <label>
          Trigger
          <select value={values.event} onChange={(e) => set({ event: e.currentTarget.value as TriggerEvent })}>
            {(Object.keys(TRIGGER_LABELS) as TriggerEvent[]).map((event) => (
              <option key={event} value={event}>
                {TRIGGER_LABELS[event]}
              </option>
            ))}
          </select>
        </label>
        {unit === 'days' && (
          <div class="two-up">
            <label>
              Days
              <input
                type="number"
                inputMode="numeric"
                min={0}
                max={MAX_OFFSET_DAYS}
                value={values.offset}
                onInput={(e) => set({ offset: e.currentTarget.value })}
                {...invalid('err-offset', errors.offset)}
              />
            </label>
            <label>
              Before or after
              <select
                value={values.direction}
                onChange={(e) => set({ direction: e.currentTarget.value === 'before' ? 'before' : 'after' })}
              >
                <option value="after">after</option>
                <option value="before">before</option>
              </select>
            </label>
          </div>
        )}
        {values.event === 'stage_changed' && (
          <>
            <label>
              Stage
              <select
                value={values.stageId}
                onChange={(e) => set({ stageId: e.currentTarget.value })}
                {...invalid('err-stageId', errors.stageId)}
              >
                <option value="">Choose…</option>
                {(props.stages ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <FieldError id="err-stageId" error={errors.stageId} />
          </>
        )}
        {unit === 'hours' && (
          <label>
            Hours after
            <input
              type="number"
              inputMode="numeric"
              min={values.event === 'no_reply' ? 1 : 0}
              max={MAX_OFFSET_HOURS}
              value={values.offset}
              onInput={(e) => set({ offset: e.currentTarget.value })}
              {...invalid('err-offset', errors.offset)}
            />
          </label>
        )}
        <FieldError id="err-offset" error={errors.offset} />
        {(unit === 'days' || values.event === 'date_of_birth') && (
          <p class="muted small">Goes at the start of the send window on the day.</p>
        )}
        {values.event === 'person_created' && <p class="muted small">Only people added after the item is saved.</p>}
      </fieldset>

      <fieldset>
        <legend>Message</legend>
        <label>
          Template
          <select
            value={values.template}
            onChange={(e) => {
              const key = e.currentTarget.value;
              set({ template: key, variables: defaultChoices(props.templates.find((t) => templateKey(t) === key)) });
            }}
            {...invalid('err-template', errors.template)}
          >
            <option value="">Choose an approved template…</option>
            {!template && values.template !== '' && (
              <option value={values.template}>{values.template} (not approved)</option>
            )}
            {props.templates.map((t) => (
              <option key={templateKey(t)} value={templateKey(t)}>
                {t.name} · {t.language}
              </option>
            ))}
          </select>
        </label>
        <FieldError id="err-template" error={errors.template} />
        {props.templates.length === 0 && (
          <p class="muted small">
            No approved templates yet: <a href="/templates">create one</a> and wait for Meta to approve it.
          </p>
        )}
        {template && <p class="template-body">{template.body}</p>}
        {template?.variables.map((name) => (
          <VariableField
            key={name}
            name={name}
            mapped={template.variableMap[name] !== undefined}
            choice={values.variables[name] ?? { source: '', text: '' }}
            error={errors[variableField(name)]}
            onChange={(patch) => setVariable(name, patch)}
          />
        ))}
        <label>
          Counted as
          <select value={values.saleType} onChange={(e) => set({ saleType: e.currentTarget.value as SaleType })}>
            {(Object.keys(SALE_TYPE_WORDS) as SaleType[]).map((s) => (
              <option key={s} value={s}>
                {SALE_TYPE_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <FieldError id="err-saleType" error={errors.saleType} />
      </fieldset>

      <Checks<PersonStatus>
        legend="Who"
        hint="None ticked: everyone."
        labels={STATUS_LABELS}
        values={values.statuses}
        onChange={(statuses) => set({ statuses })}
      />
      <Checks<SaleType>
        legend="Sale type of the person"
        hint="None ticked: both."
        labels={SALE_TYPE_WORDS}
        values={values.saleTypes}
        onChange={(saleTypes) => set({ saleTypes })}
      />
      {clubLabels && (
        <Checks<string>
          legend="Clubs"
          hint="None ticked: every club."
          labels={clubLabels}
          values={values.clubIds}
          onChange={(clubIds) => set({ clubIds })}
        />
      )}
      {Object.keys(stageNames).length > 0 && (
        <Checks<string>
          legend="Stages"
          hint="None ticked: any stage, or none. Ticked: people in any of them."
          labels={stageNames}
          values={values.stageIds}
          onChange={(stageIds) => set({ stageIds })}
        />
      )}
      {Object.keys(labelNames).length > 0 && (
        <Checks<string>
          legend="Labels"
          hint="None ticked: labels do not matter. Ticked: people wearing any of them."
          labels={labelNames}
          values={values.labelIds}
          onChange={(labelIds) => set({ labelIds })}
        />
      )}
      <AdFilter label="Lead source" value={values.adSource} onChange={(adSource) => set({ adSource })} />
      <p class="muted small">From a click-to-WhatsApp ad: any of them, or one. A person's first ad counts.</p>
      <FieldError id="err-audience" error={errors.audience} />

      <fieldset>
        <legend>Send window ({zone})</legend>
        <div class="two-up">
          <label>
            From
            <input
              type="time"
              value={values.start}
              onInput={(e) => set({ start: e.currentTarget.value })}
              {...invalid('err-start', errors.start)}
            />
          </label>
          <label>
            Until
            {/* A time input cannot show 24:00, which the API takes for "to the end of the day". */}
            <input
              type="time"
              value={values.end === MIDNIGHT ? '' : values.end}
              disabled={values.end === MIDNIGHT}
              onInput={(e) => set({ end: e.currentTarget.value })}
              {...invalid('err-end', errors.end)}
            />
          </label>
        </div>
        <label class="check">
          <input
            type="checkbox"
            checked={values.end === MIDNIGHT}
            onChange={(e) => set({ end: e.currentTarget.checked ? MIDNIGHT : '21:00' })}
          />
          Until midnight
        </label>
        <FieldError id="err-start" error={errors.start} />
        <FieldError id="err-end" error={errors.end} />
        <p class="muted small">
          In {props.timeZone}, the gym's timezone, whatever this phone's clock says. Nothing goes out outside it.
        </p>
      </fieldset>

      <label class="check">
        <input type="checkbox" checked={values.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
        Switched on
      </label>

      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Saving…' : props.submitLabel}
      </button>
    </form>
  );
}
