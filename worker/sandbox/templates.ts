import { z } from 'zod';
import { graphError, invalidParameter, unsupportedRequest } from './graph-errors';
import { newGraphId } from './ids';
import { type Envelope, envelope } from './payloads';
import type { SandboxStore, TemplateRow } from './store';

// `GET/POST/DELETE /{waba-id}/message_templates`, the minimum of Meta's template management the product uses
// (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates).

const component = z.looseObject({
  type: z.enum(['HEADER', 'BODY', 'FOOTER', 'BUTTONS']),
  format: z.string().optional(),
  text: z.string().optional(),
  example: z.unknown().optional(),
});

const createSchema = z
  .looseObject({
    name: z
      .string()
      .regex(/^[a-z0-9_]+$/, 'lowercase letters, digits and underscores only')
      .max(512),
    category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
    language: z.string().min(2),
    parameter_format: z.enum(['POSITIONAL', 'NAMED']).optional(),
    components: z.array(component).min(1),
  })
  .superRefine((t, ctx) => {
    const body = t.components.find((c) => c.type === 'BODY');
    // Authentication bodies are Meta's own wording: no text.
    if (!body || (!body.text && t.category !== 'AUTHENTICATION'))
      ctx.addIssue({ code: 'custom', message: 'a BODY component with text is required', path: ['components'] });
    else if (body.text && body.text.length > 1024)
      ctx.addIssue({ code: 'custom', message: 'BODY text is at most 1024 characters', path: ['components'] });
    const footer = t.components.find((c) => c.type === 'FOOTER');
    if (footer?.text && footer.text.length > 60)
      ctx.addIssue({ code: 'custom', message: 'FOOTER text is at most 60 characters', path: ['components'] });
  });

function listItem(t: TemplateRow) {
  return {
    name: t.name,
    components: JSON.parse(t.components) as unknown,
    language: t.language,
    status: t.status,
    category: t.category,
    ...(t.parameter_format ? { parameter_format: t.parameter_format } : {}),
    rejected_reason: t.rejected_reason ?? 'NONE',
    id: t.id,
  };
}

const cursor = (offset: number): string => btoa(String(offset));
function offsetOf(after: string | null): number {
  if (!after) return 0;
  try {
    const n = Number(atob(after));
    return Number.isInteger(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

export interface TemplateHooks {
  /** A well-formed submission was stored PENDING: start Meta's review. */
  submitted(row: TemplateRow): Promise<void>;
  /** What a Resumable Upload handle stands for (the shared media instance), or null for one never issued. */
  handle(h: string): Promise<{ fileType: string } | null>;
}

/** The file types a media header's sample may be, by format. */
const SAMPLE_TYPES: Record<string, readonly string[]> = {
  IMAGE: ['image/jpeg', 'image/jpg', 'image/png'],
  VIDEO: ['video/mp4'],
  DOCUMENT: ['application/pdf'],
};

/**
 * A photo, video or document header needs a sample: `example.header_handle: [handle]`, a handle this app's
 * Resumable Upload API issued for a file of that kind. Meta answers anything else with (#100) and subcode
 * 2494102 "Uploaded media handle is invalid" (as integrators report it). Null when the header is fine.
 */
async function headerSampleError(
  components: readonly { type: string; format?: string; example?: unknown }[],
  hooks: TemplateHooks,
): Promise<Response | null> {
  const header = components.find((c) => c.type === 'HEADER');
  const format = (header?.format ?? '').toUpperCase();
  const types = SAMPLE_TYPES[format];
  if (!header || !types) return null;
  const example = header.example as { header_handle?: unknown } | undefined;
  const handles = example?.header_handle;
  if (!Array.isArray(handles) || handles.length !== 1 || typeof handles[0] !== 'string')
    return invalidParameter(
      `Param components[HEADER].example.header_handle: a ${format} header needs one sample handle`,
    );
  const issued = await hooks.handle(handles[0]);
  const refusal = !issued
    ? 'Uploaded media handle is invalid'
    : !types.includes(issued.fileType)
      ? `Uploaded media handle is invalid: a ${format} header's sample cannot be ${issued.fileType}`
      : null;
  return refusal
    ? graphError({ status: 400, code: 100, subcode: 2494102, title: 'Invalid parameter', details: refusal })
    : null;
}

export async function handleTemplates(request: Request, store: SandboxStore, hooks: TemplateHooks): Promise<Response> {
  const url = new URL(request.url);
  if (request.method === 'GET') {
    const limit = Math.min(Math.max(Number(url.searchParams.get('limit')) || 25, 1), 1000);
    const offset = offsetOf(url.searchParams.get('after'));
    const name = url.searchParams.get('name');
    const all = store.templates().filter((t) => name === null || t.name === name);
    const page = all.slice(offset, offset + limit);
    const next = offset + limit < all.length;
    const nextUrl = new URL(url);
    nextUrl.searchParams.set('after', cursor(offset + limit));
    return Response.json({
      data: page.map(listItem),
      paging: {
        cursors: { before: cursor(offset), after: cursor(offset + page.length) },
        ...(next ? { next: nextUrl.toString() } : {}),
      },
    });
  }
  if (request.method === 'POST') {
    let json: unknown;
    try {
      json = await request.json();
    } catch {
      return invalidParameter('Request body is not valid JSON');
    }
    const parsed = createSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return invalidParameter(
        issue ? `Param ${issue.path.join('.') || 'body'}: ${issue.message}` : 'Invalid parameter',
      );
    }
    const t = parsed.data;
    const sampleError = await headerSampleError(t.components, hooks);
    if (sampleError) return sampleError;
    const row: TemplateRow = {
      id: newGraphId(),
      name: t.name,
      language: t.language,
      category: t.category,
      // Meta reviews every new template; it starts PENDING until a status update says otherwise.
      status: 'PENDING',
      parameter_format: t.parameter_format ?? null,
      components: JSON.stringify(t.components),
      rejected_reason: null,
    };
    if (!store.insertTemplate(row))
      // Meta: error 100, subcode 2388024 "Content in this language already exists".
      return graphError({
        status: 400,
        code: 100,
        subcode: 2388024,
        title: 'Invalid parameter',
        details: `Content in this language already exists: ${t.name} (${t.language})`,
      });
    await hooks.submitted(row);
    return Response.json({ id: row.id, status: row.status, category: row.category });
  }
  if (request.method === 'DELETE') {
    const name = url.searchParams.get('name');
    if (!name) return invalidParameter('Param name is required');
    // With hsm_id, only that language version goes; by name alone, every language of the name.
    const hsmId = url.searchParams.get('hsm_id');
    if (store.deleteTemplates(name, hsmId ?? undefined) === 0)
      return invalidParameter(`Message template "${name}" not found`);
    return Response.json({ success: true });
  }
  return unsupportedRequest(request.method, url.pathname);
}

/** Meta's review outcome as the `message_template_status_update` webhook (the id is a JSON number there). */
export function templateStatusPayload(
  wabaId: string,
  row: TemplateRow,
  event: string,
  reason: string | null,
  at = Date.now(),
): Envelope {
  return timed(
    envelope(wabaId, 'message_template_status_update', {
      event,
      message_template_id: Number(row.id),
      message_template_name: row.name,
      message_template_language: row.language,
      reason: reason ?? 'NONE',
    }),
    at,
  );
}

/** WABA webhooks carry the event's time on the entry, in epoch seconds. */
function timed(e: Envelope, at: number): Envelope {
  return { ...e, entry: e.entry.map((entry) => ({ ...entry, time: Math.floor(at / 1000) })) };
}

/** Meta moved a template to another category (`template_category_update`). */
export function templateCategoryPayload(wabaId: string, row: TemplateRow, previous: string): Envelope {
  return timed(
    envelope(wabaId, 'template_category_update', {
      message_template_id: Number(row.id),
      message_template_name: row.name,
      message_template_language: row.language,
      previous_category: previous,
      new_category: row.category,
    }),
    Date.now(),
  );
}

/**
 * A review outcome queued at submission is decided when it is delivered: a template still PENDING is
 * APPROVED then; one rejected, paused or deleted meanwhile keeps that fate and the approval is dropped.
 * Returns whether to deliver the body. Bodies that are not template status updates always go.
 */
export function settleQueuedReview(store: SandboxStore, body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return true;
  }
  const change = (parsed as Envelope | undefined)?.entry?.[0]?.changes?.[0];
  if (change?.field !== 'message_template_status_update') return true;
  const id = String(change.value.message_template_id);
  const row = store.templates().find((t) => t.id === id);
  if (row?.status !== 'PENDING') return false;
  store.setTemplateStatusById(id, String(change.value.event), null);
  return true;
}
