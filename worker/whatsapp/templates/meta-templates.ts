// Meta's template management API: create, list (every page), delete. Speaks to graph.facebook.com when live,
// to the simulator in sandbox mode (same HTTP, served in-process).
// https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates
import { exports } from 'cloudflare:workers';
import { z } from 'zod';
import type { TemplateComponent } from '#common/templates/components';
import { metaTimeoutMs, whatsappMode } from '../../config';
import { SANDBOX_GRAPH_URL } from '../meta';
import { graphErrorBodySchema } from '../meta/send-schema';

export interface WabaCredentials {
  wabaId: string;
  accessToken: string;
}

export interface MetaTemplateError {
  /** 409 `template_exists` for Meta's (#100) subcode 2388024, 502 `meta_error` for everything else. */
  kind: 'exists' | 'meta_error';
  message: string;
}

export type MetaResult<T> = { ok: true; value: T } | { ok: false; error: MetaTemplateError };

/** Meta: "Content in this language already exists". */
const SUBCODE_EXISTS = 2388024;

const createAnswerSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  status: z.string().optional(),
  category: z.string().optional(),
});

export const metaTemplateSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
  language: z.string(),
  status: z.string(),
  category: z.string(),
  parameter_format: z.string().optional(),
  components: z.array(z.looseObject({ type: z.string() })).default([]),
  rejected_reason: z.string().optional(),
});
export type MetaTemplate = z.infer<typeof metaTemplateSchema>;

const listAnswerSchema = z.looseObject({
  data: z.array(z.unknown()),
  paging: z.looseObject({ next: z.string().optional() }).optional(),
});

/** Meta pages at most 100 at a time; a sync of a large WABA follows `paging.next`. Guard against a loop. */
const MAX_PAGES = 200;
const LIST_FIELDS = 'id,name,status,language,category,parameter_format,components,rejected_reason';

export interface CreateInput {
  name: string;
  category: string;
  language: string;
  parameter_format: string;
  components: TemplateComponent[];
}

export interface MetaTemplatesApi {
  create(creds: WabaCredentials, input: CreateInput): Promise<MetaResult<{ id: string; status: string }>>;
  /** Every template of the WABA, following every page; templates that do not parse are skipped and counted. */
  list(creds: WabaCredentials): Promise<MetaResult<{ templates: MetaTemplate[]; unreadable: number }>>;
  /** One language version when `metaId` is known (`hsm_id`), otherwise every language of the name. */
  remove(creds: WabaCredentials, name: string, metaId: string | null): Promise<MetaResult<null>>;
}

function errorOf(status: number, text: string): MetaTemplateError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = graphErrorBodySchema.safeParse(json);
  if (!parsed.success) return { kind: 'meta_error', message: `Meta answered HTTP ${status}` };
  const e = parsed.data.error;
  const message = e.error_user_msg ?? e.error_data?.details ?? e.message;
  return { kind: e.error_subcode === SUBCODE_EXISTS ? 'exists' : 'meta_error', message };
}

export function createMetaTemplatesApi(options: {
  baseUrl: string;
  fetch: (request: Request) => Promise<Response>;
  timeoutMs: number;
}): MetaTemplatesApi {
  const base = options.baseUrl.replace(/\/+$/, '');

  async function call(
    creds: WabaCredentials,
    method: string,
    url: string,
    body?: unknown,
  ): Promise<MetaResult<unknown>> {
    let res: Response;
    let text: string;
    try {
      res = await options.fetch(
        new Request(url, {
          method,
          headers: {
            Authorization: `Bearer ${creds.accessToken}`,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs),
        }),
      );
      text = await res.text();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { ok: false, error: { kind: 'meta_error', message: `Meta could not be reached: ${reason}` } };
    }
    if (!res.ok) return { ok: false, error: errorOf(res.status, text) };
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, error: { kind: 'meta_error', message: 'Meta answered something that is not JSON' } };
    }
  }

  const edge = (creds: WabaCredentials) => `${base}/${encodeURIComponent(creds.wabaId)}/message_templates`;

  return {
    async create(creds, input) {
      const r = await call(creds, 'POST', edge(creds), input);
      if (!r.ok) return r;
      const answer = createAnswerSchema.safeParse(r.value);
      if (!answer.success) return { ok: false, error: { kind: 'meta_error', message: 'Meta answered without an id' } };
      // Meta reviews new templates; PENDING until the status webhook says otherwise.
      return { ok: true, value: { id: answer.data.id, status: answer.data.status ?? 'PENDING' } };
    },

    async list(creds) {
      const templates: MetaTemplate[] = [];
      let unreadable = 0;
      let url: string | undefined = `${edge(creds)}?fields=${LIST_FIELDS}&limit=100`;
      for (let page = 0; url && page < MAX_PAGES; page++) {
        const r = await call(creds, 'GET', url);
        if (!r.ok) return r;
        const answer = listAnswerSchema.safeParse(r.value);
        if (!answer.success) return { ok: false, error: { kind: 'meta_error', message: 'Meta answered no list' } };
        for (const item of answer.data.data) {
          const t = metaTemplateSchema.safeParse(item);
          if (t.success) templates.push(t.data);
          else unreadable += 1;
        }
        url = answer.data.paging?.next;
      }
      if (url)
        return { ok: false, error: { kind: 'meta_error', message: `more than ${MAX_PAGES} pages of templates` } };
      return { ok: true, value: { templates, unreadable } };
    },

    async remove(creds, name, metaId) {
      const q = new URLSearchParams({ name });
      if (metaId) q.set('hsm_id', metaId);
      const r = await call(creds, 'DELETE', `${edge(creds)}?${q}`);
      return r.ok ? { ok: true, value: null } : r;
    },
  };
}

/** The templates API for this deployment: Meta when live, the simulator in sandbox mode. */
export function metaTemplatesFor(env: Env): MetaTemplatesApi {
  const timeoutMs = metaTimeoutMs(env);
  if (whatsappMode(env) === 'live')
    return createMetaTemplatesApi({ baseUrl: env.META_GRAPH_URL, fetch: (r) => fetch(r), timeoutMs });
  return createMetaTemplatesApi({
    baseUrl: SANDBOX_GRAPH_URL,
    fetch: (request) => exports.default.fetch(request),
    timeoutMs,
  });
}
