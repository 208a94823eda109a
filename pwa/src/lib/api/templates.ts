// Templates: the approved ones a send may use and each one's values for a person (every staff member: the
// composer's picker, the automated item form), and the templates screens' calls (managers and admins).
import { client, unwrap } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type TemplateRecord = Schemas['Template'];
export type TemplateCreate = Schemas['TemplateCreate'];
export type TemplateSyncCounts = Schemas['TemplateSyncCounts'];
export type Automation = Schemas['Automation'];

/** The company's approved templates: what a send may use (staff may read them; managers change them). */
export async function listApprovedTemplates(): Promise<TemplateRecord[]> {
  const page = await unwrap(
    client.GET('/api/v1/whatsapp/templates', { params: { query: { status: 'APPROVED', per_page: 100 } } }),
  );
  return page.collection;
}

/** The server's value for each variable of a template for this person (its variable map), by name. */
export async function previewTemplate(templateId: string, personId: string): Promise<Record<string, string>> {
  const preview = await unwrap(
    client.POST('/api/v1/whatsapp/templates/{id}/preview', {
      params: { path: { id: templateId } },
      body: { person_id: personId },
    }),
  );
  return Object.fromEntries(Object.entries(preview.params).filter(([, v]) => v !== ''));
}

/** Every template of the company, whatever Meta's status, newest first. */
export async function listAllTemplates(): Promise<TemplateRecord[]> {
  const page = await unwrap(client.GET('/api/v1/whatsapp/templates', { params: { query: { per_page: 100 } } }));
  return page.collection;
}

export const getTemplate = (id: string): Promise<TemplateRecord> =>
  unwrap(client.GET('/api/v1/whatsapp/templates/{id}', { params: { path: { id } } }));

export const createTemplate = (body: TemplateCreate): Promise<TemplateRecord> =>
  unwrap(client.POST('/api/v1/whatsapp/templates', { body }));

/** The file a photo, video or document header sends when a message names none (an upload's id, or a link). */
export const setHeaderMedia = (id: string, headerMedia: { id: string } | { link: string }): Promise<TemplateRecord> =>
  unwrap(
    client.PATCH('/api/v1/whatsapp/templates/{id}', { params: { path: { id } }, body: { header_media: headerMedia } }),
  );

export const deleteTemplate = (id: string): Promise<unknown> =>
  unwrap(client.DELETE('/api/v1/whatsapp/templates/{id}', { params: { path: { id } } }));

export const syncTemplates = (): Promise<TemplateSyncCounts> => unwrap(client.POST('/api/v1/whatsapp/templates/sync'));

/** The automated items that send this template (same name and language): deleting it would break them. */
export async function automationsUsing(t: Pick<TemplateRecord, 'name' | 'language'>): Promise<Automation[]> {
  const page = await unwrap(client.GET('/api/v1/whatsapp/automations', { params: { query: { per_page: 100 } } }));
  return page.collection.filter((a) => a.template.name === t.name && a.template.language === t.language);
}
