import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { BASE } from './helpers/fixtures';

interface OpenApiDoc {
  openapi: string;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  paths: Record<string, Record<string, { operationId?: string; requestBody?: unknown }>>;
}

it('publishes an OpenAPI document generated from the route schemas, with every integrator operation', async () => {
  const res = await exports.default.fetch(`${BASE}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  const doc = (await res.json()) as OpenApiDoc;
  expect(doc.openapi).toMatch(/^3\./);
  const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
  expect(operations).toEqual(
    expect.arrayContaining([
      'peopleCreate',
      'peopleList',
      'peopleGet',
      'peopleUpdate',
      'historyList',
      'whatsappSend',
      'whatsappOptOut',
      'templatesCreate',
      'templatesList',
      'templatesGet',
      'templatesUpdate',
      'templatesDelete',
      'templatesSync',
      'templatesPreview',
      'whatsappUsage',
    ]),
  );
  const send = doc.paths['/api/v1/people/{id}/whatsapp/messages']?.post;
  expect(JSON.stringify(send?.requestBody)).toContain('#/components/schemas/WhatsappSend');
  expect(Object.keys(doc.components.schemas.WhatsappSend?.properties ?? {})).toEqual(['sale_type', 'text', 'template']);
});

it('renders an API reference page', async () => {
  const res = await exports.default.fetch(`${BASE}/api/v1/docs`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  expect(await res.text()).toContain('/api/v1/openapi.json');
});
