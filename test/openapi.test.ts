import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { BASE, makeCompany } from './helpers/fixtures';

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
      'mediaUpload',
    ]),
  );
  const send = doc.paths['/api/v1/people/{id}/whatsapp/messages']?.post;
  expect(JSON.stringify(send?.requestBody)).toContain('#/components/schemas/WhatsappSend');
  expect(Object.keys(doc.components.schemas.WhatsappSend?.properties ?? {})).toEqual([
    'sale_type',
    'text',
    'template',
    'interactive',
    'media',
  ]);
});

it('renders an API reference page', async () => {
  const res = await exports.default.fetch(`${BASE}/api/v1/docs`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  expect(await res.text()).toContain('/api/v1/openapi.json');
});

it('documents the errors every operation of a kind can answer: a body can be malformed or not JSON, an id refused', async () => {
  const doc = (await (await exports.default.fetch(`${BASE}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { operationId: string; requestBody?: unknown; responses: object }>>;
  };
  const missing: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths))
    for (const op of Object.values(methods)) {
      const statuses = Object.keys(op.responses);
      const need = [...(op.requestBody ? ['400', '415'] : []), ...(path.includes('{') ? ['422'] : [])];
      for (const s of need) if (!statuses.includes(s)) missing.push(`${op.operationId} ${s}`);
    }
  expect(missing).toEqual([]);
});

it('answers a body that is not JSON with 415 unsupported_media_type, with an API key as with a session', async () => {
  const company = await makeCompany();
  const res = await exports.default.fetch(`${BASE}/api/v1/people`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${company.apiKey}`, 'Content-Type': 'text/plain' },
    body: 'first_name=Sheena',
  });
  expect(res.status).toBe(415);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
});
