// A stored template filled in for one person: the values, what Meta receives, and the text the person reads.

import {
  bodyVariables,
  HEADER_PREFIX,
  headerVariables,
  otpButtonIndexes,
  renderTemplate,
} from '#common/templates/components';
import {
  HEADER_MEDIA_TYPE,
  HEADER_SAMPLE_RULES,
  type HeaderMedia,
  headerSampleRefusal,
  mediaHeaderFormat,
} from '#common/templates/header-media';
import type { companies, people } from '../../db/schema';
import type { ResolvedTemplate, TemplateParameter } from '../meta/types';
import type { TemplateRow } from './store';
import { type ParamsResolution, resolveTemplateParams, type TemplateParams } from './variables';

type Resolvable = Pick<
  TemplateRow,
  'category' | 'parameterFormat' | 'components' | 'variables' | 'variableMap' | 'language'
> &
  Partial<Pick<TemplateRow, 'headerMedia'>>;

export type TemplateResolution =
  | { ok: true; resolved: ResolvedTemplate }
  | (Extract<ParamsResolution, { ok: false }> & {
      /** Why a photo, video or document header cannot be filled, in words. */
      header?: string;
    });

type HeaderFill = { file: ResolvedTemplate['headerMedia'] } | { problem: string };

/**
 * The file a media header carries: the send's own, else the template's default. Its kind must be the header's
 * (a photo header takes a photo); a link's type is Meta's to judge when it fetches it.
 */
function headerFill(template: Resolvable, given: HeaderMedia | undefined, required: boolean): HeaderFill {
  const format = mediaHeaderFormat(template.components);
  if (!format) return { file: undefined };
  const rule = HEADER_SAMPLE_RULES[format];
  const media = given ?? template.headerMedia ?? undefined;
  if (!media)
    return required
      ? {
          problem: `This template's header is ${rule.noun} and none was given: send one as template.header_media (an upload's id or a link), or set the template's default header_media`,
        }
      : { file: undefined };
  const type = HEADER_MEDIA_TYPE[format];
  const refusal =
    media.mime_type !== undefined
      ? headerSampleRefusal(format, { mime: media.mime_type, size: media.size ?? null, name: media.filename })
      : null;
  if (refusal) return { problem: refusal };
  // Only a document header shows a file name.
  const { type: _asUploaded, filename, ...file } = media;
  return { file: { ...file, type, ...(type === 'document' && filename ? { filename } : {}) } };
}

export function resolveTemplate(
  template: Resolvable,
  params: TemplateParams | undefined,
  person: typeof people.$inferSelect,
  company: typeof companies.$inferSelect,
  header: { media?: HeaderMedia; required?: boolean } = {},
): TemplateResolution {
  const r = resolveTemplateParams(template, params, person, company);
  if (!r.ok) return r;
  const fill = headerFill(template, header.media, header.required ?? true);
  if ('problem' in fill) return { ok: false, missing: [], extra: [], header: fill.problem };
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
      ...(fill.file ? { headerMedia: fill.file } : {}),
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
