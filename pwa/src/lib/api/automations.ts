// Automated items over the typed client: list, create, change, delete, audience preview, run, run log, and the
// approved templates an item may send. Managers and admins only; the server refuses everyone else (403).

import { bodyText } from '#common/templates/components';
import { client, unwrap } from './client';
import type { components } from './schema';
import { listApprovedTemplates } from './templates';

type Schemas = components['schemas'];
export type Automation = Schemas['Automation'];
export type AutomationTrigger = Schemas['AutomationTrigger'];
export type TriggerEvent = AutomationTrigger['event'];
export type Audience = NonNullable<Schemas['AutomationAudience']>;
export type PersonStatus = NonNullable<Audience['statuses']>[number];
export type SaleType = Automation['sale_type'];
export type SendWindow = Schemas['AutomationSendWindow'];
export type AutomationPreview = Schemas['AutomationPreview'];
export type AutomationRun = NonNullable<Schemas['AutomationRun']>;
export type AutomationRunStarted = Schemas['AutomationRunStarted'];
export type VariableSource = Extract<Automation['variables'], unknown[]>[number];

/** What the form sends, create or update: variables always by name, so any can be left to the template's map. */
export interface AutomationInput {
  name: string;
  enabled: boolean;
  template: { name: string; language: string };
  variables: Record<string, VariableSource>;
  sale_type: SaleType;
  trigger: AutomationTrigger;
  audience: Audience | null;
  send_window: SendWindow;
}

/** An approved template as the form needs it: its variables in order and where the template maps them. */
export interface TemplateOption {
  name: string;
  language: string;
  category: string;
  body: string;
  variables: string[];
  variableMap: Record<string, unknown>;
}

export const listAutomations = () =>
  unwrap(client.GET('/api/v1/whatsapp/automations', { params: { query: { per_page: 100 } } }));

export const getAutomation = (id: string) =>
  unwrap(client.GET('/api/v1/whatsapp/automations/{id}', { params: { path: { id } } }));

// openapi-typescript reads the nullable, refined send window as `SendWindow & (Record<string, never> | null)`,
// which no value satisfies; the server's schema (zod) is what checks it, so the body is typed here instead.
type CreateBody = Schemas['AutomationCreate'];
type UpdateBody = Schemas['AutomationUpdate'];

export const createAutomation = (input: AutomationInput) =>
  unwrap(client.POST('/api/v1/whatsapp/automations', { body: input as unknown as CreateBody }));

export const updateAutomation = (id: string, patch: Partial<AutomationInput>) =>
  unwrap(
    client.PATCH('/api/v1/whatsapp/automations/{id}', {
      params: { path: { id } },
      body: patch as unknown as UpdateBody,
    }),
  );

export const setAutomationEnabled = (id: string, enabled: boolean) =>
  unwrap(client.PATCH('/api/v1/whatsapp/automations/{id}', { params: { path: { id } }, body: { enabled } }));

export const deleteAutomation = (id: string) =>
  unwrap(client.DELETE('/api/v1/whatsapp/automations/{id}', { params: { path: { id } } }));

export const previewAutomation = (id: string) =>
  unwrap(client.POST('/api/v1/whatsapp/automations/{id}/preview', { params: { path: { id } } }));

export const runAutomation = (id: string) =>
  unwrap(client.POST('/api/v1/whatsapp/automations/{id}/run', { params: { path: { id } } }));

export const listRuns = (id: string) =>
  unwrap(client.GET('/api/v1/whatsapp/automations/{id}/runs', { params: { path: { id }, query: { per_page: 50 } } }));

/** Only APPROVED templates may be sent by an enabled item (the server answers 422 otherwise). */
export async function listTemplateOptions(): Promise<TemplateOption[]> {
  return (await listApprovedTemplates()).map((t) => ({
    name: t.name,
    language: t.language,
    category: t.category,
    body: bodyText(t.components) ?? '',
    variables: t.variables,
    variableMap: t.variable_map,
  }));
}
