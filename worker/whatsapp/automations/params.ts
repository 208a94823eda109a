// An item's variables -> the template parameters for one person. The mapping itself (person fields, dates per
// language, fixed text) is the templates module's (templates/variables.ts); this only says which source fills
// which variable: the item's own list first, then the template's variable_map.

import type { ItemVariables, VariableMap } from '../../db/column-types';
import type { PersonRow } from '../send-facts';
import type { TemplateRow } from '../templates/store';
import { resolveTemplateParams } from '../templates/variables';
import type { CompanyRow } from './sweep';

/** Positional item variables fill `{{1}}`, `{{2}}`... in the template's variable order; named ones by name. */
export function itemVariableMap(template: Pick<TemplateRow, 'variables'>, variables: ItemVariables): VariableMap {
  if (!Array.isArray(variables)) return { ...variables };
  const map: VariableMap = {};
  variables.forEach((source, i) => {
    const name = template.variables[i];
    if (name !== undefined) map[name] = source;
  });
  return map;
}

export type ItemParams = { ok: true; params: string[] } | { ok: false; missing: string[] };

/** The values in the template's variable order, or the variables this person has no value for. */
export function itemParams(
  template: TemplateRow,
  variables: ItemVariables,
  person: PersonRow,
  company: CompanyRow,
): ItemParams {
  const resolved = resolveTemplateParams(
    {
      variables: template.variables,
      parameterFormat: template.parameterFormat,
      variableMap: { ...template.variableMap, ...itemVariableMap(template, variables) },
      language: template.language,
    },
    undefined,
    person,
    company,
  );
  if (!resolved.ok) return { ok: false, missing: resolved.missing };
  return { ok: true, params: template.variables.map((name) => resolved.values[name] ?? '') };
}

/**
 * A queued row's parameters: those it stored when first tried (a retry sends the same values), else the
 * person's now; null when the row has none and the person is gone or lacks a value (skipped `missing_variable`).
 */
export function rowParams(
  stored: string[] | Record<string, string> | null,
  template: TemplateRow,
  variables: ItemVariables,
  person: PersonRow | undefined,
  company: CompanyRow,
): string[] | null {
  if (Array.isArray(stored)) return stored;
  const resolved = person ? itemParams(template, variables, person, company) : null;
  return resolved?.ok ? resolved.params : null;
}
