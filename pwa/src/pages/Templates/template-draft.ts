// The create form's state, turned into Meta's template format, and every problem with it mapped back to the
// field it belongs to. The problems come from the rules the API applies (common/templates/template-rules.ts), so
// the form says what the API would answer, before it is asked. Pure: no DOM, no I/O.
import type { PersonField } from '#common/person-fields';
import {
  bodyVariables,
  headerVariableName,
  headerVariables,
  type ParameterFormat,
  type TemplateComponent,
  templateVariables,
  variablesIn,
} from '#common/templates/components';
import { headerSampleRefusal, type MediaHeaderFormat } from '#common/templates/header-media';
import { allTemplateProblems, type Problem, type TemplateInput } from '#common/templates/template-rules';
import type { TemplateCreate } from '../../lib/api/templates';

export type ButtonType = 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER';
export interface DraftButton {
  type: ButtonType;
  text: string;
  url: string;
  phone_number: string;
}

export type HeaderFormat = 'TEXT' | MediaHeaderFormat;

export interface Draft {
  name: string;
  category: TemplateInput['category'];
  language: string;
  /** Text (or none, when `header` is empty), or a photo, video or document header. */
  headerFormat: HeaderFormat;
  /** A media header's sample: uploaded on submit, and the file the template sends by default. */
  headerFile: File | null;
  header: string;
  body: string;
  footer: string;
  buttons: DraftButton[];
  /** Sample value per variable name ("1", "first_name", "header.1"), as Meta's reviewers read it. */
  samples: Record<string, string>;
  /** Person field per variable name; '' for none (staff fill it in when sending). */
  mapping: Record<string, PersonField | ''>;
}

export const emptyDraft = (): Draft => ({
  name: '',
  category: 'UTILITY',
  language: 'en_GB',
  headerFormat: 'TEXT',
  headerFile: null,
  header: '',
  body: '',
  footer: '',
  buttons: [],
  samples: {},
  mapping: {},
});

export const newButton = (type: ButtonType): DraftButton => ({ type, text: '', url: '', phone_number: '' });

const POSITIONAL = /^\d+$/;

/** Positional ({{1}}, {{2}}) unless a variable has a name ({{first_name}}): then Meta's NAMED format. */
export function parameterFormatOf(
  d: Pick<Draft, 'header' | 'body'> & { headerFormat?: HeaderFormat },
): ParameterFormat {
  const header = (d.headerFormat ?? 'TEXT') === 'TEXT' ? d.header : '';
  const names = [...variablesIn(header), ...variablesIn(d.body)];
  return names.every((n) => POSITIONAL.test(n)) ? 'POSITIONAL' : 'NAMED';
}

function headerComponent(d: Draft, format: ParameterFormat): TemplateComponent {
  const names = variablesIn(d.header);
  const sample = (n: string) => d.samples[headerVariableName(n, format)] ?? '';
  const c: TemplateComponent = { type: 'HEADER', format: 'TEXT', text: d.header };
  if (names.length > 0)
    c.example =
      format === 'POSITIONAL'
        ? { header_text: names.map(sample) }
        : { header_text_named_params: names.map((n) => ({ param_name: n, example: sample(n) })) };
  return c;
}

function bodyComponent(d: Draft, format: ParameterFormat): TemplateComponent {
  const names = bodyVariables([{ type: 'BODY', text: d.body }], format);
  const sample = (n: string) => d.samples[n] ?? '';
  const c: TemplateComponent = { type: 'BODY', text: d.body };
  if (names.length > 0)
    c.example =
      format === 'POSITIONAL'
        ? { body_text: [names.map(sample)] }
        : { body_text_named_params: names.map((n) => ({ param_name: n, example: sample(n) })) };
  return c;
}

function buttonOf(b: DraftButton): TemplateComponent['buttons'] extends (infer B)[] | undefined ? B : never {
  if (b.type === 'URL') return { type: b.type, text: b.text, url: b.url };
  if (b.type === 'PHONE_NUMBER') return { type: b.type, text: b.text, phone_number: b.phone_number };
  return { type: b.type, text: b.text };
}

/** Meta's template format, exactly as POST /api/v1/whatsapp/templates takes it (without the variable map). */
export function draftToInput(d: Draft): TemplateInput {
  const format = parameterFormatOf(d);
  const components: TemplateComponent[] = [];
  // A media header's sample is the file, uploaded on submit (header_sample): the component names only its format.
  if (d.headerFormat !== 'TEXT') components.push({ type: 'HEADER', format: d.headerFormat });
  else if (d.header.trim() !== '') components.push(headerComponent(d, format));
  components.push(bodyComponent(d, format));
  if (d.footer.trim() !== '') components.push({ type: 'FOOTER', text: d.footer });
  if (d.buttons.length > 0) components.push({ type: 'BUTTONS', buttons: d.buttons.map(buttonOf) });
  return { name: d.name, category: d.category, language: d.language, parameter_format: format, components };
}

/** Every variable the template has, in the order a send fills them (body, then header). */
export function draftVariables(d: Draft): string[] {
  return templateVariables(draftToInput(d).components, parameterFormatOf(d));
}

export function draftToRequest(d: Draft): TemplateCreate {
  const variables = draftVariables(d);
  const variable_map: Record<string, PersonField> = {};
  for (const name of variables) {
    const field = d.mapping[name];
    if (field) variable_map[name] = field;
  }
  return { ...draftToInput(d), variable_map };
}

/**
 * The form field a problem belongs to: `name`, `language`, `category`, `header`, `body`, `footer`, `samples`,
 * `mapping`, `buttons` (the list as a whole), `button.<j>.<text|url|phone_number>`; `form` when none fits.
 */
export function fieldOf(path: readonly (string | number)[], components: readonly TemplateComponent[]): string {
  const [head, index, key, j, buttonKey] = path;
  if (head === 'name' || head === 'language' || head === 'category') return head;
  if (head === 'variable_map') return 'mapping';
  if (head !== 'components') return 'form';
  const c = typeof index === 'number' ? components[index] : undefined;
  if (!c) return 'body';
  if (key === 'example') return 'samples';
  if (c.type === 'BUTTONS') {
    if (typeof j !== 'number') return 'buttons';
    return buttonKey === 'text' || buttonKey === 'url' || buttonKey === 'phone_number'
      ? `button.${j}.${buttonKey}`
      : `button.${j}.text`;
  }
  return c.type.toLowerCase();
}

/** The draft's problems by field, in the rules' words (first letter capitalised), each field's in order. */
export function draftProblems(d: Draft): Record<string, string[]> {
  const input = draftToInput(d);
  const out = problemsByField(allTemplateProblems(input, { sampleToCome: true }), input.components);
  if (d.headerFormat === 'TEXT') return out;
  // The sample file, judged by the rules the API applies to it, before anything is uploaded.
  const refusal = d.headerFile
    ? headerSampleRefusal(d.headerFormat, { mime: d.headerFile.type, size: d.headerFile.size, name: d.headerFile.name })
    : `Choose a sample ${d.headerFormat === 'IMAGE' ? 'photo' : d.headerFormat.toLowerCase()}: Meta reviews the template with it`;
  if (refusal) out.header = [...(out.header ?? []), refusal];
  return out;
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function problemsByField(
  problems: readonly Problem[],
  components: readonly TemplateComponent[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of problems) {
    const field = fieldOf(p.path, components);
    const list = out[field] ?? [];
    const message = sentence(p.message);
    if (!list.includes(message)) list.push(message);
    out[field] = list;
  }
  return out;
}

/** `components[1].buttons[0].text` -> `['components', 1, 'buttons', 0, 'text']` (formatPath's inverse). */
export function parsePath(text: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g))
    out.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? ''));
  return out;
}

/**
 * A 422 `invalid_template` answer ("components[1].text: at most 60 characters (61 given)") as a problem on
 * its field; a message without a path stays on the form.
 */
export function serverProblem(message: string): Problem {
  const m = /^([A-Za-z0-9_.[\]]+): (.+)$/s.exec(message);
  if (!m?.[1] || !m[2]) return { path: [], message };
  return { path: parsePath(m[1]), message: m[2] };
}

const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : '')) : []);

/** The samples Meta reviewed, by variable name, read back out of the components' `example`s. */
export function samplesOf(components: readonly TemplateComponent[], format: ParameterFormat): Record<string, string> {
  const out: Record<string, string> = {};
  const body = record(components.find((c) => c.type === 'BODY')?.example);
  const header = record(components.find((c) => c.type === 'HEADER')?.example);
  if (format === 'POSITIONAL') {
    const bodyValues = strings(Array.isArray(body.body_text) ? body.body_text[0] : undefined);
    bodyVariables(components, format).forEach((n, i) => {
      out[n] = bodyValues[i] ?? '';
    });
    const headerValues = strings(header.header_text);
    headerVariables(components, format).forEach((n, i) => {
      out[n] = headerValues[i] ?? '';
    });
    return out;
  }
  for (const list of [body.body_text_named_params, header.header_text_named_params])
    for (const p of Array.isArray(list) ? list : []) {
      const r = record(p);
      if (typeof r.param_name === 'string' && typeof r.example === 'string') out[r.param_name] = r.example;
    }
  return out;
}
