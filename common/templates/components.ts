// Meta's template components as stored (the shape `POST /{waba-id}/message_templates` takes and the list
// answers), the variables they hold and how they read once filled: one rulebook for the worker's sends and the
// staff app's template form, preview and picker. Reference:
// https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components

export type ParameterFormat = 'POSITIONAL' | 'NAMED';

export interface TemplateButton {
  type: string;
  text?: string;
  url?: string;
  phone_number?: string;
  example?: unknown;
  [key: string]: unknown;
}

export interface TemplateComponent {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS';
  format?: string;
  text?: string;
  example?: unknown;
  buttons?: TemplateButton[];
  [key: string]: unknown;
}

/** `{{1}}` or `{{first_name}}`; Meta tolerates no spaces inside the braces, we read them anyway. */
const VARIABLE = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The variable names in a text, in order of first appearance, each once. */
export function variablesIn(text: string | undefined): string[] {
  if (!text) return [];
  const seen = new Set<string>();
  for (const m of text.matchAll(VARIABLE)) if (m[1] !== undefined) seen.add(m[1]);
  return [...seen];
}

/** A positional header's `{{1}}` is not the body's `{{1}}`: it is named `header.1`. */
export const HEADER_PREFIX = 'header.';

export function headerVariableName(name: string, format: ParameterFormat): string {
  return format === 'POSITIONAL' ? `${HEADER_PREFIX}${name}` : name;
}

const byNumber = (a: string, b: string) => Number(a) - Number(b);

export const bodyOf = <C extends { type: string }>(components: readonly C[]): C | undefined =>
  components.find((c) => c.type === 'BODY');
export const headerOf = (components: readonly TemplateComponent[]) => components.find((c) => c.type === 'HEADER');
export const textHeaderOf = (components: readonly TemplateComponent[]) => {
  const h = headerOf(components);
  return h && (h.format ?? 'TEXT').toUpperCase() === 'TEXT' ? h : undefined;
};

/**
 * Authentication templates carry no body text: Meta writes it ("{{1}} is your verification code.", plus its
 * security advice), and the one variable is the code.
 * https://developers.facebook.com/docs/whatsapp/business-management-api/authentication-templates
 */
export const AUTHENTICATION_BODY = '{{1}} is your verification code.';
/**
 * The body as Meta sends it: its text, or Meta's own words for an authentication template. Takes the API's
 * looser component shape too (the staff app reads templates as the list answers them).
 */
export const bodyText = (components: readonly { type: string; text?: unknown }[]): string | undefined => {
  const body = bodyOf(components);
  if (!body) return undefined;
  return typeof body.text === 'string' && body.text !== '' ? body.text : AUTHENTICATION_BODY;
};

/** One-time-password buttons (copy code, one tap) take the code as their URL parameter when sent. */
export function otpButtonIndexes(components: readonly TemplateComponent[]): number[] {
  const buttons = components.find((c) => c.type === 'BUTTONS')?.buttons ?? [];
  return buttons.flatMap((b, i) => (b.type === 'OTP' ? [i] : []));
}

export function bodyVariables(components: readonly TemplateComponent[], format: ParameterFormat): string[] {
  const names = variablesIn(bodyText(components));
  return format === 'POSITIONAL' ? names.sort(byNumber) : names;
}

export function headerVariables(components: readonly TemplateComponent[], format: ParameterFormat): string[] {
  return variablesIn(textHeaderOf(components)?.text).map((n) => headerVariableName(n, format));
}

/**
 * Every variable a send must fill, in order: the body's ({{1}}, {{2}}... or named in order of appearance),
 * then the text header's. A NAMED header variable sharing a body variable's name is filled once.
 */
export function templateVariables(components: readonly TemplateComponent[], format: ParameterFormat): string[] {
  const names = bodyVariables(components, format);
  for (const h of headerVariables(components, format)) if (!names.includes(h)) names.push(h);
  return names;
}

/** Replaces each `{{name}}` with its value; `prefix` turns a positional header's `1` into `header.1`. */
export function renderText(text: string, values: Readonly<Record<string, string>>, prefix = ''): string {
  return text.replace(VARIABLE, (whole, name: string) => values[`${prefix}${name}`] ?? whole);
}

/** The header and body as the person reads them. */
export function renderTemplate(
  components: readonly TemplateComponent[],
  format: ParameterFormat,
  values: Readonly<Record<string, string>>,
): { header: string | null; body: string } {
  const header = textHeaderOf(components)?.text;
  return {
    header: header ? renderText(header, values, format === 'POSITIONAL' ? HEADER_PREFIX : '') : null,
    body: renderText(bodyText(components) ?? '', values),
  };
}
