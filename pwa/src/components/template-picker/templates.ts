// Template rules for the picker. Pure. Meta only delivers approved templates; a person who stopped marketing
// messages (error 131050) is offered utility templates only. Placeholders are read and filled by the rules the
// worker sends with (common/templates/components.ts).
import { renderText, variablesIn } from '#common/templates/components';
import type { MediaHeaderFormat } from '#common/templates/header-media';

export interface Template {
  id: string;
  name: string;
  language: string;
  category: string;
  status: string;
  /** The body text with Meta's placeholders: {{1}}, {{2}} (positional) or {{first_name}} (named). */
  body: string;
  /** The variable names in order, as the templates API lists them; derived from the body when absent. */
  variables?: string[];
  /** A photo, video or document header, and where its default file is shown from (null: none, pick one). */
  header?: { format: MediaHeaderFormat; defaultUrl: string | null; defaultName: string | null };
}

export function pickableTemplates(all: readonly Template[], opts: { marketingStopped: boolean }): Template[] {
  return all.filter((t) => t.status === 'APPROVED' && !(opts.marketingStopped && t.category === 'MARKETING'));
}

export interface PersonFacts {
  first_name: string;
  last_name?: string | null;
}

/** The template's variable names in order: from the API, else the body's placeholders in first-seen order. */
export function variablesOf(t: Pick<Template, 'body' | 'variables'>): string[] {
  if (t.variables && t.variables.length > 0) return t.variables;
  const seen = variablesIn(t.body);
  // Positional variables go in number order whatever order the text uses them in.
  return seen.every((v) => /^\d+$/.test(v)) ? seen.sort((a, b) => Number(a) - Number(b)) : seen;
}

export const paramCount = (body: string): number => variablesOf({ body }).length;

/**
 * Variables prefilled from the person: a named variable that is a person field takes its value, and {{1}} is
 * the first name in every approved template we seed and make. The server's preview, when it answers, wins.
 */
export function prefillParams(t: Template, person: PersonFacts, fromServer: Record<string, string> = {}): string[] {
  const fields: Record<string, string> = {
    first_name: person.first_name,
    last_name: person.last_name ?? '',
    full_name: [person.first_name, person.last_name].filter(Boolean).join(' '),
  };
  return variablesOf(t).map(
    (name, i) => fromServer[name] ?? fields[name] ?? (i === 0 && name === '1' ? person.first_name : ''),
  );
}

/** The message as the person will read it; an empty variable shows as its placeholder. */
export function renderPreview(t: Pick<Template, 'body' | 'variables'>, params: readonly string[]): string {
  const filled = variablesOf(t).flatMap((name, i) => {
    const v = params[i];
    return v && v.trim() !== '' ? [[name, v] as const] : [];
  });
  return renderText(t.body, Object.fromEntries(filled));
}

export const paramsComplete = (params: readonly string[]): boolean => params.every((p) => p.trim() !== '');
