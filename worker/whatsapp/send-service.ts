import { eq } from 'drizzle-orm';
import type { Interactive } from '#common/interactive/interactive-rules';
import { mediaHeaderFormat } from '#common/templates/header-media';
import type { CompanyAuth } from '../auth/actor';
import { companyDb } from '../db/company-data';
import { historyNotes } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { serializeNote } from '../history/serialize';
import { newId } from '../ids';
import { getPerson } from '../people/service';
import { conversationStub } from './conversation';
import * as idempotency from './idempotency';
import { type MediaRequest, resolveOutboundMedia } from './media/outbound';
import type { OutboundContent, TemplateRequest } from './meta/types';
import { type SaleType, sendRefusal } from './policy';
import { loadSendFacts, type PersonRow } from './send-facts';
import { checkHeaderMedia } from './templates/header-sample';
import { findTemplate } from './templates/store';

export interface SendRequest {
  sale_type?: SaleType;
  text?: string;
  /** Reply buttons, a list or a link button (Meta's interactive object, already checked by its rules). */
  interactive?: Interactive;
  /** `params`: values in variable order (array) or by variable name (object); left out, the mapping fills them. */
  template?: TemplateRequest;
  /** A photo, document, video or voice note: an upload's id or a link (media/outbound.ts). */
  media?: MediaRequest;
}

export type NoteRow = typeof historyNotes.$inferSelect;

export interface SendAnswer {
  status: number;
  note: NoteRow | null;
  /** The first answer's exact body, when an Idempotency-Key replays it. */
  replayBody?: string;
}

/**
 * A send's own file for a photo, video or document header, checked by the header's rules against this company's
 * uploads (422 `invalid_media` in words); a template that is not there is left for the policy to refuse.
 */
async function headerMediaOf(env: Env, companyId: string, t: TemplateRequest): Promise<TemplateRequest> {
  const asked = t.header_media;
  if (!asked) return t;
  const db = companyDb(env, companyId);
  const template = await findTemplate(db, companyId, t.name, t.language);
  if (!template) return t;
  const format = mediaHeaderFormat(template.components);
  if (!format)
    throw new ApiError(
      422,
      'invalid_media',
      'This template has no photo, video or document header: leave template.header_media out',
    );
  return { ...t, header_media: await checkHeaderMedia(db, companyId, format, asked) };
}

async function contentOf(env: Env, companyId: string, req: SendRequest): Promise<OutboundContent> {
  if (req.template) return { kind: 'template', template: await headerMediaOf(env, companyId, req.template) };
  if (req.media)
    return { kind: 'media', media: await resolveOutboundMedia(companyDb(env, companyId), companyId, req.media) };
  if (req.interactive) return { kind: 'interactive', interactive: req.interactive };
  return { kind: 'text', text: req.text ?? '' };
}

/** Authorizes and routes a send to the person's conversation object, which decides the window and sends. */
export async function sendWhatsapp(
  env: Env,
  auth: CompanyAuth,
  personId: string,
  req: SendRequest,
  idempotencyKey: string | undefined,
): Promise<SendAnswer> {
  const db = companyDb(env, auth.companyId);
  const person = await getPerson(db, auth, personId);

  let messageId = newId('his');
  if (idempotencyKey !== undefined) {
    const r = await idempotency.reserve(db, auth.companyId, idempotencyKey, { personId, req });
    if (r.kind === 'replay') return { status: r.status, note: null, replayBody: r.body };
    messageId = r.messageId;
  }

  try {
    const note = await sendAsMessage(env, auth, person, messageId, req);
    if (idempotencyKey !== undefined)
      await idempotency.remember(db, auth.companyId, idempotencyKey, 202, JSON.stringify(serializeNote(note)));
    return { status: 202, note };
  } catch (err) {
    if (idempotencyKey !== undefined && err instanceof ApiError)
      await idempotency.release(db, auth.companyId, idempotencyKey);
    throw err;
  }
}

/**
 * Sends `req` as message `messageId`, which the caller has fixed and kept (an Idempotency-Key's reservation, an
 * automated occurrence's claim): the conversation object sends one id once, so calling this again for the same
 * id, even concurrently, answers the same message. Throws ApiError for a refusal; answers the message's id.
 */
export async function sendThroughConversation(
  env: Env,
  auth: CompanyAuth,
  person: Pick<PersonRow, 'id' | 'phone' | 'saleType'>,
  messageId: string,
  req: SendRequest,
): Promise<string> {
  const content = await contentOf(env, auth.companyId, req);
  if (!person.phone) {
    // No phone, no conversation object to ask: decide here with everything but the window.
    const loaded = await loadSendFacts(env, auth.companyId, person.id, content);
    const refusal = loaded && sendRefusal({ ...loaded.facts, windowOpen: true });
    if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message);
    throw notFound('Person');
  }
  const result = await conversationStub(env, auth.companyId, person.id).send({
    messageId,
    companyId: auth.companyId,
    personId: person.id,
    saleType: req.sale_type ?? person.saleType,
    content,
    actor: auth.actor,
  });
  if (!result.ok) throw new ApiError(result.refusal.status, result.refusal.code, result.refusal.message);
  return result.messageId;
}

/** sendThroughConversation, answering the message's history note as it stands once the object has sent it. */
export async function sendAsMessage(
  env: Env,
  auth: CompanyAuth,
  person: Pick<PersonRow, 'id' | 'phone' | 'saleType'>,
  messageId: string,
  req: SendRequest,
): Promise<NoteRow> {
  const id = await sendThroughConversation(env, auth, person, messageId, req);
  const note = await companyDb(env, auth.companyId).select().from(historyNotes).where(eq(historyNotes.id, id)).get();
  if (!note) throw new Error(`message ${id} was accepted but not recorded`);
  return note;
}
