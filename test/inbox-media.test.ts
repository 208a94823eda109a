// Contract: the Graph client's media download against the simulator, as Meta documents it: GET /{media-id}
// for a short-lived URL, then that URL with the same bearer token
// (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media).
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { MEDIA_OBJECT } from '../worker/sandbox/graph-path';
import { metaApiFor, SANDBOX_GRAPH_URL } from '../worker/whatsapp/meta';
import { createGraphClient } from '../worker/whatsapp/meta/graph-client';
import { makeCompany } from './helpers/fixtures';

const creds = (phoneNumberId: string) => ({ phoneNumberId, accessToken: 'test-access-token' });

describe('downloadMedia against the simulator', () => {
  it('follows GET /{media-id} to the file and returns its bytes and type', async () => {
    const company = await makeCompany();
    const media = await env.META_SANDBOX.getByName(MEDIA_OBJECT).registerMedia('image/jpeg');
    const result = await metaApiFor(env).downloadMedia(creds(company.phoneNumberId), media.id);
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.mimeType).toBe('image/jpeg');
    const bytes = new Uint8Array(await new Response(result.body).arrayBuffer());
    expect(bytes.byteLength).toBe(media.file_size);
    expect(new TextDecoder().decode(bytes)).toBe(`sandbox media ${media.id}`);
  });

  it('says not_found for an id Meta does not know', async () => {
    const company = await makeCompany();
    expect(await metaApiFor(env).downloadMedia(creds(company.phoneNumberId), '999999999')).toEqual({
      kind: 'not_found',
    });
  });

  it('sends the bearer token on both requests (the simulator refuses either without it)', async () => {
    const media = await env.META_SANDBOX.getByName(MEDIA_OBJECT).registerMedia('application/pdf');
    const seen: { url: string; auth: string | null }[] = [];
    const client = createGraphClient({
      baseUrl: SANDBOX_GRAPH_URL,
      timeoutMs: 1000,
      fetch: async (request) => {
        seen.push({ url: request.url, auth: request.headers.get('Authorization') });
        return exports.default.fetch(request);
      },
    });
    const result = await client.downloadMedia({ phoneNumberId: '1', accessToken: 'tok' }, media.id);
    expect(result.kind).toBe('ok');
    if (result.kind === 'ok') await new Response(result.body).arrayBuffer();
    expect(seen).toEqual([
      { url: `${SANDBOX_GRAPH_URL}/${media.id}`, auth: 'Bearer tok' },
      { url: expect.stringContaining(`/sandbox/media/${media.id}`), auth: 'Bearer tok' },
    ]);
  });

  it('reports a Meta outage as failed, not as a missing file', async () => {
    const client = createGraphClient({
      baseUrl: SANDBOX_GRAPH_URL,
      timeoutMs: 1000,
      fetch: async () =>
        Response.json(
          { error: { message: 'Service temporarily unavailable', code: 2, type: 'OAuthException' } },
          { status: 503 },
        ),
    });
    expect(await client.downloadMedia({ phoneNumberId: '1', accessToken: 'tok' }, '123')).toMatchObject({
      kind: 'failed',
      error: { code: 2, httpStatus: 503 },
    });
  });
});
