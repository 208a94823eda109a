// Template rules for the picker. Pure. Meta only delivers approved templates; a person who stopped marketing
// messages (error 131050) is offered utility templates only.

export interface Template {
  id: string;
  name: string;
  language: string;
  category: string;
  status: string;
  /** The body text with Meta's {{1}}, {{2}} placeholders. */
  body: string;
}

export function pickableTemplates(all: readonly Template[], opts: { marketingStopped: boolean }): Template[] {
  return all.filter((t) => t.status === 'APPROVED' && !(opts.marketingStopped && t.category === 'MARKETING'));
}

/** How many {{n}} variables the body has (the highest n; Meta numbers them from 1 without gaps). */
export function paramCount(body: string): number {
  let max = 0;
  for (const m of body.matchAll(/\{\{\s*(\d+)\s*\}\}/g)) max = Math.max(max, Number(m[1]));
  return max;
}

export interface PersonFacts {
  first_name: string;
  last_name?: string | null;
}

/** Variables prefilled from the person: {{1}} is the first name in every approved template we seed and make. */
export function prefillParams(t: Template, person: PersonFacts): string[] {
  return Array.from({ length: paramCount(t.body) }, (_, i) => (i === 0 ? person.first_name : ''));
}

/** The message as the person will read it; an empty variable shows as its placeholder. */
export function renderPreview(body: string, params: readonly string[]): string {
  return body.replace(/\{\{\s*(\d+)\s*\}\}/g, (whole, n: string) => {
    const v = params[Number(n) - 1];
    return v && v.trim() !== '' ? v : whole;
  });
}

export const paramsComplete = (params: readonly string[]): boolean => params.every((p) => p.trim() !== '');
