// Where a template variable's value comes from: a person field, the company's name, or fixed text. Used when a
// send leaves out `params` and by automated items. Pure: no I/O, no clock.

import { z } from 'zod';
import { isPersonField, PERSON_FIELDS } from '#common/person-fields';
import type { VariableMap, VariableSource } from '../../db/column-types';
import type { companies, people } from '../../db/schema';

type PersonRow = typeof people.$inferSelect;
type CompanyRow = typeof companies.$inferSelect;

export const personFieldSchema = z.enum(PERSON_FIELDS);
export const variableSourceSchema = z.union([
  personFieldSchema,
  z.strictObject({ text: z.string().trim().min(1).max(1024) }),
]);
export const variableMapSchema = z.record(z.string().min(1).max(512), variableSourceSchema);

/** Meta's language codes use `_` (en_GB); Intl wants `-` (en-GB). An unknown code falls back to English. */
function localeOf(language: string): string {
  const tag = language.replace(/_/g, '-');
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0 ? tag : 'en';
  } catch {
    return 'en';
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A plain date (YYYY-MM-DD) written the way the template's language writes it: "30 September 2025" for
 * en_GB, "September 30, 2025" for en_US. Formatted in UTC, so the day never shifts with a timezone.
 */
export function formatDate(isoDate: string, language: string): string | null {
  const m = ISO_DATE.exec(isoDate);
  if (!m) return null;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(at)) return null;
  return new Intl.DateTimeFormat(localeOf(language), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(at);
}

const nonEmpty = (s: string | null | undefined): string | null => (s && s.trim() !== '' ? s : null);

/** One source's value for this person, or null when the person lacks that field. */
export function resolveSource(
  source: VariableSource,
  person: PersonRow,
  company: CompanyRow,
  language: string,
): string | null {
  if (typeof source === 'object') return nonEmpty(source.text);
  switch (source) {
    case 'first_name':
      return nonEmpty(person.firstName);
    case 'last_name':
      return nonEmpty(person.lastName);
    case 'full_name':
      return nonEmpty([person.firstName, person.lastName].filter((p) => nonEmpty(p) !== null).join(' '));
    case 'phone':
      return nonEmpty(person.phone);
    case 'email':
      return nonEmpty(person.email);
    case 'membership_start':
      return person.membershipStart ? formatDate(person.membershipStart, language) : null;
    case 'membership_end':
      return person.membershipEnd ? formatDate(person.membershipEnd, language) : null;
    case 'date_of_birth':
      return person.dateOfBirth ? formatDate(person.dateOfBirth, language) : null;
    case 'company_name':
      return nonEmpty(company.name);
  }
}

/** Explicit values: an array fills the variables in order; an object names them. */
export type TemplateParams = readonly string[] | Readonly<Record<string, string>>;

export interface ParamsTemplate {
  /** Every variable name in order (store.ts `variables`). */
  variables: readonly string[];
  parameterFormat: 'POSITIONAL' | 'NAMED';
  variableMap: Readonly<VariableMap>;
  language: string;
}

export type ParamsResolution =
  | { ok: true; values: Record<string, string> }
  | {
      ok: false;
      /** Variables with neither a param nor a mapping (or a mapping the person has no value for). */
      missing: string[];
      /** Params that name no variable: an object key, or an array position (`#3`) past the last variable. */
      extra: string[];
    };

/**
 * The value of every variable of a template for one person: an explicit param wins, then the template's
 * `variable_map`, then (NAMED templates) a variable whose name is a person field. Reports what is missing
 * and what is extra instead of sending a template Meta would refuse (132000).
 */
export function resolveTemplateParams(
  template: ParamsTemplate,
  params: TemplateParams | undefined,
  person: PersonRow,
  company: CompanyRow,
): ParamsResolution {
  const given: Record<string, string> = {};
  const extra: string[] = [];
  if (Array.isArray(params)) {
    params.forEach((value, i) => {
      const name = template.variables[i];
      if (name === undefined) extra.push(`#${i + 1}`);
      else given[name] = value;
    });
  } else if (params) {
    for (const [name, value] of Object.entries(params)) {
      if (template.variables.includes(name)) given[name] = value;
      else extra.push(name);
    }
  }

  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of template.variables) {
    const explicit = given[name];
    const source: VariableSource | undefined =
      template.variableMap[name] ?? (template.parameterFormat === 'NAMED' && isPersonField(name) ? name : undefined);
    const value =
      explicit !== undefined && explicit.trim() !== ''
        ? explicit
        : source !== undefined
          ? resolveSource(source, person, company, template.language)
          : null;
    if (value === null) missing.push(name);
    else values[name] = value;
  }
  if (missing.length > 0 || extra.length > 0) return { ok: false, missing, extra };
  return { ok: true, values };
}
