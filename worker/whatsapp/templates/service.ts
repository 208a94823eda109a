// Templates: submit to Meta, list, read, map variables, delete, preview. Meta is called first and the row is
// written only once Meta has accepted, so a Meta error stores nothing.
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { type ParameterFormat, templateVariables } from '#common/templates/components';
import { type HeaderMedia, mediaHeaderFormat } from '#common/templates/header-media';
import { type AuditBy, auditRowIf } from '../../audit/record';
import { openToken } from '../../auth/token-seal';
import type { VariableMap } from '../../db/column-types';
import { companyDb } from '../../db/company-data';
import { isUniqueViolation } from '../../db/errors';
import { companies, templates } from '../../db/schema';
import { ApiError, notFound } from '../../errors';
import { newId } from '../../ids';
import { pageOf } from '../../pagination';
import { getPerson, type Reader } from '../../people/service';
import { templateParamsProblem } from '../policy';
import { checkHeaderMedia, type HeaderMediaInput, uploadHeaderSample, withHeaderHandle } from './header-sample';
import { type MetaTemplateError, metaTemplatesFor, type WabaCredentials } from './meta-templates';
import { resolveTemplate } from './resolve';
import { findTemplateById, type TemplateRow } from './store';
import { formatPath, type TemplateInput } from './validate';
import type { TemplateParams } from './variables';
import { replayKeptTemplateUpdates } from './webhook';

type CompanyRow = typeof companies.$inferSelect;

export async function companyOf(env: Env, companyId: string): Promise<CompanyRow> {
  const company = await companyDb(env, companyId).select().from(companies).where(eq(companies.id, companyId)).get();
  if (!company) throw notFound('Company');
  return company;
}

/** The WABA and token templates are managed with; 403 / 409 when WhatsApp is off or not set up. */
export async function wabaCredentials(env: Env, company: CompanyRow): Promise<WabaCredentials> {
  if (!company.whatsappEnabled)
    throw new ApiError(403, 'whatsapp_disabled', 'WhatsApp is not enabled for this company');
  if (!company.wabaId || !company.accessTokenEnc)
    throw new ApiError(409, 'whatsapp_not_configured', 'This company has no WhatsApp Business Account configured');
  return {
    wabaId: company.wabaId,
    accessToken: await openToken(env, company.id, company.accessTokenEnc),
  };
}

export function metaFailure(error: MetaTemplateError): ApiError {
  if (error.kind === 'exists')
    return new ApiError(409, 'template_exists', `Meta already has this name in this language: ${error.message}`);
  return new ApiError(502, 'meta_error', `Meta refused: ${error.message}`);
}

const templateExists = () =>
  new ApiError(409, 'template_exists', 'A template with this name and language already exists');

/** A variable_map may only name the template's own variables. */
export function checkVariableMap(map: VariableMap, variables: readonly string[]): void {
  for (const key of Object.keys(map))
    if (!variables.includes(key))
      throw new ApiError(
        422,
        'invalid_template',
        `${formatPath(['variable_map', key])}: the template has no variable {{${key}}} (it has ${variables.map((v) => `{{${v}}}`).join(', ') || 'none'})`,
      );
}

export type CreateInput = TemplateInput & {
  variable_map?: VariableMap;
  /** A file of ours to upload to Meta as the media header's sample. */
  header_sample?: { media_id: string };
  /** The media header's file for sends that name none; default: the sample's. */
  header_media?: HeaderMediaInput;
};

const noMediaHeader = (field: string) =>
  new ApiError(422, 'invalid_template', `${field}: the template has no IMAGE, VIDEO or DOCUMENT header`);

export async function createTemplate(
  env: Env,
  companyId: string,
  by: AuditBy,
  input: CreateInput,
): Promise<TemplateRow> {
  const db = companyDb(env, companyId);
  const company = await companyOf(env, companyId);
  const creds = await wabaCredentials(env, company);
  const format: ParameterFormat = input.parameter_format;
  const variables = templateVariables(input.components, format);
  const variableMap = input.variable_map ?? {};
  checkVariableMap(variableMap, variables);

  const existing = await db
    .select({ status: templates.status })
    .from(templates)
    .where(
      and(eq(templates.companyId, companyId), eq(templates.name, input.name), eq(templates.language, input.language)),
    )
    .get();
  // A template a sync found gone from Meta (DELETED) may be submitted again; Meta decides whether it may.
  if (existing && existing.status !== 'DELETED') throw templateExists();

  // A photo, video or document header: its default file checked, then the sample through Meta's upload.
  const mediaFormat = mediaHeaderFormat(input.components);
  if (!mediaFormat && input.header_sample) throw noMediaHeader('header_sample');
  if (!mediaFormat && input.header_media) throw noMediaHeader('header_media');
  let headerMedia: HeaderMedia | null =
    mediaFormat && input.header_media ? await checkHeaderMedia(db, companyId, mediaFormat, input.header_media) : null;
  let components = input.components;
  if (mediaFormat && input.header_sample) {
    const sample = await uploadHeaderSample(env, db, company, mediaFormat, input.header_sample.media_id);
    components = withHeaderHandle(components, sample.handle);
    headerMedia ??= sample.media;
  }

  const answer = await metaTemplatesFor(env).create(creds, {
    name: input.name,
    category: input.category,
    language: input.language,
    parameter_format: format,
    components,
  });
  if (!answer.ok) throw metaFailure(answer.error);

  const now = Date.now();
  const row = {
    id: newId('tpl'),
    companyId,
    name: input.name,
    language: input.language,
    category: input.category,
    status: answer.value.status,
    metaId: answer.value.id,
    parameterFormat: format,
    components,
    variables,
    variableMap,
    headerMedia,
    rejectedReason: null,
    // Meta's answer carries no time: any status webhook for it is newer than this PENDING.
    statusAt: null,
    createdAt: now,
    updatedAt: now,
  };
  // The row holding Meta's id for it after the upsert: ours, or one a sync imported meanwhile that we took over.
  const ours = sql`(SELECT ${templates.id} FROM ${templates} WHERE ${and(
    eq(templates.companyId, companyId),
    eq(templates.name, input.name),
    eq(templates.language, input.language),
    eq(templates.metaId, answer.value.id),
  )})`;
  try {
    // A sync that ran while Meta was answering may have imported this very template (same Meta id): take it over.
    const [inserted] = await db.batch([
      db
        .insert(templates)
        .values(row)
        .onConflictDoUpdate({
          target: [templates.companyId, templates.name, templates.language],
          set: { ...row, id: sql`${templates.id}`, createdAt: sql`${templates.createdAt}` },
          setWhere: sql`${templates.metaId} = ${row.metaId} OR ${templates.status} = 'DELETED'`,
        })
        .returning(),
      auditRowIf(
        db,
        companyId,
        by,
        {
          action: 'template.created',
          target: { type: 'template', id: ours },
          details: { name: input.name, language: input.language, category: input.category, status: row.status },
        },
        sql`${ours} IS NOT NULL`,
        now,
      ),
    ]);
    const stored = inserted[0];
    if (!stored) throw templateExists();
    // Meta may have answered its review before we stored the row: apply what the webhook kept.
    await replayKeptTemplateUpdates(env);
    return (await findTemplateById(db, companyId, stored.id)) ?? stored;
  } catch (err) {
    if (isUniqueViolation(err, 'templates')) throw templateExists();
    throw err;
  }
}

export interface TemplateFilters {
  status?: string;
  category?: string;
  language?: string;
  name?: string;
  page: number;
  perPage: number;
}

/** Newest first. */
export async function listTemplates(
  env: Env,
  companyId: string,
  q: TemplateFilters,
): Promise<{ rows: TemplateRow[]; total: number }> {
  const db = companyDb(env, companyId);
  const where = and(
    eq(templates.companyId, companyId),
    q.status !== undefined ? eq(templates.status, q.status) : undefined,
    q.category !== undefined ? eq(templates.category, q.category as TemplateRow['category']) : undefined,
    q.language !== undefined ? eq(templates.language, q.language) : undefined,
    q.name !== undefined ? eq(templates.name, q.name) : undefined,
  );
  const { limit, offset } = pageOf(q.page, q.perPage);
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(templates)
      .where(where)
      .orderBy(desc(templates.createdAt), desc(templates.id))
      .limit(limit)
      .offset(offset)
      .all(),
    db.select({ n: count() }).from(templates).where(where).all(),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

export async function getTemplate(env: Env, companyId: string, id: string): Promise<TemplateRow> {
  const row = await findTemplateById(companyDb(env, companyId), companyId, id);
  if (!row) throw notFound('Template');
  return row;
}

/**
 * Only the variable mapping and a media header's default file are ours to change: the content is Meta's, and
 * changing it means a new review.
 */
export async function updateTemplate(
  env: Env,
  companyId: string,
  by: AuditBy,
  id: string,
  patch: { variable_map?: VariableMap; header_media?: HeaderMediaInput | null },
): Promise<TemplateRow> {
  const current = await getTemplate(env, companyId, id);
  const db = companyDb(env, companyId);
  const set: Partial<Pick<TemplateRow, 'variableMap' | 'headerMedia'>> = {};
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  if (patch.variable_map !== undefined) {
    checkVariableMap(patch.variable_map, current.variables);
    if (JSON.stringify(patch.variable_map) !== JSON.stringify(current.variableMap)) {
      set.variableMap = patch.variable_map;
      changed.variable_map = { from: current.variableMap, to: patch.variable_map };
    }
  }
  if (patch.header_media !== undefined) {
    const format = mediaHeaderFormat(current.components);
    if (!format && patch.header_media !== null) throw noMediaHeader('header_media');
    const next =
      format && patch.header_media ? await checkHeaderMedia(db, companyId, format, patch.header_media) : null;
    if (JSON.stringify(next) !== JSON.stringify(current.headerMedia ?? null)) {
      set.headerMedia = next;
      changed.header_media = { from: current.headerMedia ?? null, to: next };
    }
  }
  if (Object.keys(changed).length === 0) return current;
  const now = Date.now();
  const where = and(eq(templates.companyId, companyId), eq(templates.id, id));
  await db.batch([
    db
      .update(templates)
      .set({ ...set, updatedAt: now })
      .where(where),
    auditRowIf(
      db,
      companyId,
      by,
      {
        action: 'template.updated',
        target: { type: 'template', id },
        details: { name: current.name, language: current.language, ...changed },
      },
      sql`EXISTS (SELECT 1 FROM ${templates} WHERE ${where})`,
      now,
    ),
  ]);
  return getTemplate(env, companyId, id);
}

/** Deletes at Meta (this language version, by name and id), then here. */
export async function deleteTemplate(env: Env, companyId: string, by: AuditBy, id: string): Promise<void> {
  const current = await getTemplate(env, companyId, id);
  // Gone from Meta already (a sync marked it): nothing to ask Meta.
  if (current.status !== 'DELETED') {
    const creds = await wabaCredentials(env, await companyOf(env, companyId));
    const answer = await metaTemplatesFor(env).remove(creds, current.name, current.metaId);
    if (!answer.ok) throw metaFailure(answer.error);
  }
  const db = companyDb(env, companyId);
  const where = and(eq(templates.companyId, companyId), eq(templates.id, id));
  // The entry first, while the row is there to say it went.
  await db.batch([
    auditRowIf(
      db,
      companyId,
      by,
      {
        action: 'template.deleted',
        target: { type: 'template', id },
        details: { name: current.name, language: current.language, status: current.status },
      },
      sql`EXISTS (SELECT 1 FROM ${templates} WHERE ${where})`,
    ),
    db.delete(templates).where(where),
  ]);
}

export interface Preview {
  header: string | null;
  body: string;
  params: Record<string, string>;
}

/** The template as this person would read it, without sending. Any status may be previewed. */
export async function previewTemplate(
  env: Env,
  who: Reader,
  id: string,
  personId: string,
  params: TemplateParams | undefined,
): Promise<{ template: TemplateRow; preview: Preview }> {
  const { companyId } = who;
  const template = await getTemplate(env, companyId, id);
  // The caller's scope applies: a person they may not see previews as 404, like another company's.
  const person = await getPerson(companyDb(env, companyId), who, personId);
  const company = await companyOf(env, companyId);
  // A preview shows the words: a media header without a file yet is no reason to refuse one.
  const r = resolveTemplate(template, params, person, company, { required: false });
  if (!r.ok) throw new ApiError(422, 'template_params', templateParamsProblem(r) ?? 'Template parameters');
  return {
    template,
    preview: { header: r.resolved.text.header, body: r.resolved.text.body, params: r.resolved.values },
  };
}
