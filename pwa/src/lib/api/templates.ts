// The templates screens' calls (managers and admins). The conversation's template picker keeps its own
// APPROVED-only list in api.ts.
import { client, unwrap } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type TemplateRecord = Schemas['Template'];
export type TemplateCreate = Schemas['TemplateCreate'];
export type TemplateSyncCounts = Schemas['TemplateSyncCounts'];
export type Automation = Schemas['Automation'];

/** Every template of the company, whatever Meta's status, newest first. */
export async function listAllTemplates(): Promise<TemplateRecord[]> {
  const page = await unwrap(client.GET('/api/v1/whatsapp/templates', { params: { query: { per_page: 100 } } }));
  return page.collection;
}

export const getTemplate = (id: string): Promise<TemplateRecord> =>
  unwrap(client.GET('/api/v1/whatsapp/templates/{id}', { params: { path: { id } } }));

export const createTemplate = (body: TemplateCreate): Promise<TemplateRecord> =>
  unwrap(client.POST('/api/v1/whatsapp/templates', { body }));

export const deleteTemplate = (id: string): Promise<unknown> =>
  unwrap(client.DELETE('/api/v1/whatsapp/templates/{id}', { params: { path: { id } } }));

export const syncTemplates = (): Promise<TemplateSyncCounts> => unwrap(client.POST('/api/v1/whatsapp/templates/sync'));

/** The automated items that send this template (same name and language): deleting it would break them. */
export async function automationsUsing(t: Pick<TemplateRecord, 'name' | 'language'>): Promise<Automation[]> {
  const page = await unwrap(client.GET('/api/v1/whatsapp/automations', { params: { query: { per_page: 100 } } }));
  return page.collection.filter((a) => a.template.name === t.name && a.template.language === t.language);
}
