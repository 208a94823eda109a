// A stored template filled in for one person: the values, what Meta receives, and the text the person reads.

import {
  bodyVariables,
  HEADER_PREFIX,
  headerVariables,
  otpButtonIndexes,
  renderTemplate,
} from '#common/templates/components';
import type { companies, people } from '../../db/schema';
import type { ResolvedTemplate, TemplateParameter } from '../meta/types';
import type { TemplateRow } from './store';
import { type ParamsResolution, resolveTemplateParams, type TemplateParams } from './variables';

type Resolvable = Pick<
  TemplateRow,
  'category' | 'parameterFormat' | 'components' | 'variables' | 'variableMap' | 'language'
>;

export type TemplateResolution = { ok: true; resolved: ResolvedTemplate } | Extract<ParamsResolution, { ok: false }>;

export function resolveTemplate(
  template: Resolvable,
  params: TemplateParams | undefined,
  person: typeof people.$inferSelect,
  company: typeof companies.$inferSelect,
): TemplateResolution {
  const r = resolveTemplateParams(template, params, person, company);
  if (!r.ok) return r;
  const format = template.parameterFormat;
  const param = (variable: string, metaName: string): TemplateParameter => ({
    value: r.values[variable] ?? '',
    ...(format === 'NAMED' ? { name: metaName } : {}),
  });
  return {
    ok: true,
    resolved: {
      category: template.category,
      parameterFormat: format,
      values: r.values,
      body: bodyVariables(template.components, format).map((v) => param(v, v)),
      header: headerVariables(template.components, format).map((v) =>
        param(v, v.startsWith(HEADER_PREFIX) ? v.slice(HEADER_PREFIX.length) : v),
      ),
      text: renderTemplate(template.components, format, r.values),
      ...(template.category === 'AUTHENTICATION'
        ? {
            buttons: otpButtonIndexes(template.components).map((index) => ({
              index,
              parameters: [{ value: r.values['1'] ?? '' }],
            })),
          }
        : {}),
    },
  };
}

/** The params as the history shows them: in variable order for POSITIONAL templates, by name for NAMED. */
export function paramsForHistory(
  resolved: ResolvedTemplate,
  variables: readonly string[],
): string[] | Record<string, string> {
  if (resolved.parameterFormat === 'NAMED') return resolved.values;
  return variables.map((v) => resolved.values[v] ?? '');
}
