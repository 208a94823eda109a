// Meta's template rules as plain functions (no zod, no I/O), shared by the worker's request schema
// (worker/whatsapp/templates/validate.ts) and the staff app's template form, so both say the same thing about
// the same mistake. Rules:
// https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components
// https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates#template-parameters
import type { ParameterFormat, TemplateButton, TemplateComponent } from './components';
import { variablesIn } from './components';

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export const PARAMETER_FORMATS = ['POSITIONAL', 'NAMED'] as const;

export const LIMITS = {
  name: 512,
  body: 1024,
  header: 60,
  footer: 60,
  buttons: 10,
  urlButtons: 2,
  phoneButtons: 1,
  buttonText: 25,
} as const;

/** Meta's template names: https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates */
export const NAME_RULE = { pattern: /^[a-z0-9_]+$/, message: 'lowercase letters, digits and underscores' } as const;
export const LANGUAGE_RULE = {
  pattern: /^[a-z]{2,3}(_[A-Za-z]{2,4})?$/,
  message: "Meta's language code, e.g. en_GB",
} as const;

export type TemplateInput = {
  name: string;
  category: (typeof TEMPLATE_CATEGORIES)[number];
  language: string;
  parameter_format: ParameterFormat;
  components: TemplateComponent[];
};

const HEADER_FORMATS = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'] as const;
const POSITIONAL_NAME = /^[1-9]\d*$/;
const NAMED_NAME = /^[a-z][a-z0-9_]*$/;

type Path = (string | number)[];
export interface Problem {
  path: Path;
  message: string;
}

/** `['components', 1, 'example', 'body_text']` -> `components[1].example.body_text`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** Positional variables must be {{1}}, {{2}}... without gaps; named ones lowercase. */
function checkNames(names: string[], format: ParameterFormat, at: Path, out: Problem[]): void {
  for (const n of names) {
    if (format === 'POSITIONAL' && !POSITIONAL_NAME.test(n))
      out.push({ path: at, message: `{{${n}}} is not positional: use {{1}}, {{2}}... or parameter_format NAMED` });
    if (format === 'NAMED' && !NAMED_NAME.test(n))
      out.push({ path: at, message: `{{${n}}}: named variables are lowercase letters, digits and underscores` });
  }
  if (format === 'POSITIONAL' && names.every((n) => POSITIONAL_NAME.test(n))) {
    const numbers = names.map(Number).sort((a, b) => a - b);
    numbers.forEach((n, i) => {
      if (n !== i + 1) out.push({ path: at, message: `variables must be numbered {{1}}, {{2}}... without gaps` });
    });
  }
}

/** Every variable needs an example: `body_text: [[...]]` / `header_text: [...]` or the `_named_params` list. */
function checkExamples(
  names: string[],
  format: ParameterFormat,
  example: unknown,
  kind: 'body' | 'header',
  at: Path,
  out: Problem[],
): void {
  if (names.length === 0) return;
  const ex = record(example);
  if (format === 'POSITIONAL') {
    const key = `${kind}_text`;
    const raw = ex?.[key];
    const values = kind === 'body' && Array.isArray(raw) ? raw[0] : raw;
    const ok =
      Array.isArray(values) && values.length === names.length && values.every((v) => typeof v === 'string' && v);
    if (!ok)
      out.push({
        path: [...at, 'example', key],
        message: `every variable needs a sample value: give one for each of the ${names.length} variable(s)`,
      });
    return;
  }
  const key = `${kind}_text_named_params`;
  const list = ex?.[key];
  const given = new Set(
    Array.isArray(list)
      ? list.flatMap((p) => {
          const r = record(p);
          return typeof r?.param_name === 'string' && typeof r.example === 'string' && r.example ? [r.param_name] : [];
        })
      : [],
  );
  const lacking = names.filter((n) => !given.has(n));
  if (lacking.length > 0)
    out.push({
      path: [...at, 'example', key],
      message: `every variable needs a sample value: none for ${lacking.map((n) => `{{${n}}}`).join(', ')}`,
    });
}

function checkBody(c: TemplateComponent, i: number, t: TemplateInput, out: Problem[]): void {
  const at: Path = ['components', i];
  if (typeof c.text !== 'string' || c.text.trim() === '') {
    // Authentication bodies are Meta's fixed wording ("{{1}} is your verification code").
    if (t.category !== 'AUTHENTICATION') out.push({ path: [...at, 'text'], message: 'the body needs text' });
    return;
  }
  if (c.text.length > LIMITS.body)
    out.push({ path: [...at, 'text'], message: `at most ${LIMITS.body} characters (${c.text.length} given)` });
  const names = variablesIn(c.text);
  checkNames(names, t.parameter_format, [...at, 'text'], out);
  const trimmed = c.text.trim();
  if (/^\{\{[^}]*\}\}/.test(trimmed) || /\{\{[^}]*\}\}$/.test(trimmed))
    out.push({ path: [...at, 'text'], message: 'the body may neither start nor end with a variable' });
  checkExamples(names, t.parameter_format, c.example, 'body', at, out);
}

function checkHeader(c: TemplateComponent, i: number, t: TemplateInput, out: Problem[], o: RuleOptions): void {
  const at: Path = ['components', i];
  const format = (c.format ?? '').toUpperCase();
  if (!(HEADER_FORMATS as readonly string[]).includes(format)) {
    out.push({ path: [...at, 'format'], message: `one of ${HEADER_FORMATS.join(', ')}` });
    return;
  }
  if (format !== 'TEXT') {
    // The sample is Meta's upload handle, or a file of ours the worker uploads for one (header_sample).
    if (format !== 'LOCATION' && !o.sampleToCome && !Array.isArray(record(c.example)?.header_handle))
      out.push({
        path: [...at, 'example', 'header_handle'],
        message: `a ${format} header needs a sample: give header_sample.media_id (an uploaded file) or Meta's header_handle`,
      });
    return;
  }
  if (typeof c.text !== 'string' || c.text.trim() === '') {
    out.push({ path: [...at, 'text'], message: 'a TEXT header needs text' });
    return;
  }
  if (c.text.length > LIMITS.header)
    out.push({ path: [...at, 'text'], message: `at most ${LIMITS.header} characters (${c.text.length} given)` });
  const names = variablesIn(c.text);
  if (names.length > 1) out.push({ path: [...at, 'text'], message: 'a header takes at most one variable' });
  checkNames(names, t.parameter_format, [...at, 'text'], out);
  checkExamples(names, t.parameter_format, c.example, 'header', at, out);
}

function checkFooter(c: TemplateComponent, i: number, t: TemplateInput, out: Problem[]): void {
  const at: Path = ['components', i, 'text'];
  // An authentication footer is Meta's "This code expires in N minutes.": no text, only the minutes.
  if (t.category === 'AUTHENTICATION' && c.text === undefined) {
    const minutes = c.code_expiration_minutes;
    if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 90)
      out.push({ path: ['components', i, 'code_expiration_minutes'], message: 'whole minutes, 1 to 90' });
    return;
  }
  if (typeof c.text !== 'string' || c.text.trim() === '') out.push({ path: at, message: 'a footer needs text' });
  else if (c.text.length > LIMITS.footer)
    out.push({ path: at, message: `at most ${LIMITS.footer} characters (${c.text.length} given)` });
  else if (variablesIn(c.text).length > 0) out.push({ path: at, message: 'a footer takes no variables' });
}

const NEEDS_TEXT = new Set(['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'FLOW', 'VOICE_CALL']);

function checkButtons(c: TemplateComponent, i: number, out: Problem[]): void {
  const at: Path = ['components', i, 'buttons'];
  const buttons: TemplateButton[] = Array.isArray(c.buttons) ? c.buttons : [];
  if (buttons.length === 0) {
    out.push({ path: at, message: 'BUTTONS needs at least one button' });
    return;
  }
  if (buttons.length > LIMITS.buttons) out.push({ path: at, message: `at most ${LIMITS.buttons} buttons` });
  const count = (type: string) => buttons.filter((b) => b.type === type).length;
  if (count('URL') > LIMITS.urlButtons) out.push({ path: at, message: `at most ${LIMITS.urlButtons} URL buttons` });
  if (count('PHONE_NUMBER') > LIMITS.phoneButtons)
    out.push({ path: at, message: `at most ${LIMITS.phoneButtons} phone number button` });
  // Meta refuses quick replies interleaved with other buttons: they must sit together.
  const quick = buttons.map((b, j) => (b.type === 'QUICK_REPLY' ? j : -1)).filter((j) => j >= 0);
  const first = quick[0];
  const last = quick[quick.length - 1];
  if (first !== undefined && last !== undefined && last - first + 1 !== quick.length)
    out.push({ path: at, message: 'quick reply buttons must be grouped together' });
  buttons.forEach((b, j) => {
    const bat: Path = [...at, j];
    if (typeof b.type !== 'string' || b.type === '') out.push({ path: [...bat, 'type'], message: 'required' });
    if (typeof b.text === 'string' && b.text.length > LIMITS.buttonText)
      out.push({ path: [...bat, 'text'], message: `at most ${LIMITS.buttonText} characters` });
    else if (NEEDS_TEXT.has(b.type) && (typeof b.text !== 'string' || b.text.trim() === ''))
      out.push({ path: [...bat, 'text'], message: 'a button needs text' });
    if (b.type === 'URL') {
      if (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url))
        out.push({ path: [...bat, 'url'], message: 'a URL button needs an http(s) url' });
      else if (variablesIn(b.url).length > 0 && !(Array.isArray(b.example) && b.example.length > 0))
        out.push({ path: [...bat, 'example'], message: 'a URL with a variable needs an example URL' });
    }
    if (b.type === 'PHONE_NUMBER' && (typeof b.phone_number !== 'string' || !/^\+?\d{6,20}$/.test(b.phone_number)))
      out.push({ path: [...bat, 'phone_number'], message: 'a phone button needs a phone number' });
  });
}

export interface RuleOptions {
  /** A media header's sample comes with the request (a file the worker uploads to Meta for its handle). */
  sampleToCome?: boolean;
}

/** Every Meta rule the input breaks, in document order (empty when Meta should accept it). */
export function templateProblems(t: TemplateInput, o: RuleOptions = {}): Problem[] {
  const out: Problem[] = [];
  const seen = new Map<string, number>();
  t.components.forEach((c, i) => {
    const prior = seen.get(c.type);
    if (prior !== undefined) out.push({ path: ['components', i, 'type'], message: `a second ${c.type}` });
    seen.set(c.type, i);
    if (c.type === 'BODY') checkBody(c, i, t, out);
    if (c.type === 'HEADER') checkHeader(c, i, t, out, o);
    if (c.type === 'FOOTER') checkFooter(c, i, t, out);
    if (c.type === 'BUTTONS') checkButtons(c, i, out);
  });
  if (!seen.has('BODY')) out.push({ path: ['components'], message: 'a BODY component is required' });
  return out;
}

/** The name, language and category as the request schema checks them, then every rule of Meta's above. */
export function allTemplateProblems(t: TemplateInput, o: RuleOptions = {}): Problem[] {
  const out: Problem[] = [];
  if (t.name === '') out.push({ path: ['name'], message: 'a template needs a name' });
  else if (t.name.length > LIMITS.name) out.push({ path: ['name'], message: `at most ${LIMITS.name} characters` });
  else if (!NAME_RULE.pattern.test(t.name)) out.push({ path: ['name'], message: NAME_RULE.message });
  if (!LANGUAGE_RULE.pattern.test(t.language)) out.push({ path: ['language'], message: LANGUAGE_RULE.message });
  if (!(TEMPLATE_CATEGORIES as readonly string[]).includes(t.category))
    out.push({ path: ['category'], message: `one of ${TEMPLATE_CATEGORIES.join(', ')}` });
  return [...out, ...templateProblems(t, o)];
}
