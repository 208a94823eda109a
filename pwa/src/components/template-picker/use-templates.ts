// The approved templates as the picker shows them, loaded once a composer needs them (a closed window).

import { useEffect, useState } from 'preact/hooks';
import { bodyText, type TemplateComponent } from '#common/templates/components';
import { mediaHeaderFormat } from '#common/templates/header-media';
import { listApprovedTemplates, type TemplateRecord } from '../../lib/api/templates';
import type { Template } from './templates';

/** A media header's default file: an upload through our media proxy, else its link. */
function headerOf(t: TemplateRecord): Template['header'] {
  const format = mediaHeaderFormat(t.components as TemplateComponent[]);
  if (!format) return undefined;
  const m = t.header_media;
  const defaultUrl = m?.id ? `/api/v1/media/${encodeURIComponent(m.id)}` : (m?.link ?? null);
  return { format, defaultUrl, defaultName: m?.filename ?? null };
}

export const pickerTemplate = (t: TemplateRecord): Template => {
  const header = headerOf(t);
  return {
    id: t.id,
    name: t.name,
    language: t.language,
    category: t.category,
    status: t.status.toUpperCase(),
    body: bodyText(t.components) ?? '',
    variables: t.variables,
    ...(header ? { header } : {}),
  };
};

/** Loads the approved templates once the composer needs them. */
export function useTemplates(needed: boolean) {
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!needed || templates !== null) return;
    listApprovedTemplates()
      .then((all) => setTemplates(all.map(pickerTemplate)))
      .catch((err: unknown) => setError(err instanceof Error ? err.message : 'unavailable'));
  }, [needed]);
  return { templates, error };
}
