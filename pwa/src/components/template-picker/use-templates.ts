// The approved templates as the picker shows them, loaded once a composer needs them (a closed window).

import { useEffect, useState } from 'preact/hooks';
import { bodyText } from '#common/templates/components';
import { listApprovedTemplates, type TemplateRecord } from '../../lib/api/templates';
import type { Template } from './templates';

export const pickerTemplate = (t: TemplateRecord): Template => ({
  id: t.id,
  name: t.name,
  language: t.language,
  category: t.category,
  status: t.status.toUpperCase(),
  body: bodyText(t.components) ?? '',
  variables: t.variables,
});

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
