// Settings, quick replies and Web Push: the calls the Settings screens, the composer's "/" list and the push
// prompt make. Typed from the worker's OpenAPI document like the rest (client.ts).

import { client, unwrap } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type WhatsappConnection = Schemas['WhatsappConnection'];
export type CompanyUser = Schemas['CompanyUser'];
export type CompanyUserCreate = Schemas['CompanyUserCreate'];
export type CompanyUserUpdate = Schemas['CompanyUserUpdate'];
export type Role = CompanyUser['role'];
export type ApiKey = Schemas['ApiKey'];
export type ApiKeyCreated = Schemas['ApiKeyCreated'];
export type QuickReply = Schemas['QuickReply'];
export type QuickReplyCreate = Schemas['QuickReplyCreate'];
export type QuickReplyUpdate = Schemas['QuickReplyUpdate'];
export type WhatsappUsage = Schemas['WhatsappUsage'];
export type PushSubscriptionInput = Schemas['PushSubscriptionInput'];
export type AuditEntry = Schemas['AuditEntry'];
export type AuditAction = AuditEntry['action'];
export type AuditPage = Schemas['AuditEntryList'];

// --- WhatsApp connection (read-only) ---------------------------------------------------------------------

export const getConnection = () => unwrap(client.GET('/api/v1/whatsapp/connection'));

// --- users (admins) ----------------------------------------------------------------------------------------

export const listUsers = async (): Promise<CompanyUser[]> => (await unwrap(client.GET('/api/v1/users'))).collection;

export const createUser = (body: CompanyUserCreate) => unwrap(client.POST('/api/v1/users', { body }));

export const updateUser = (id: string, body: CompanyUserUpdate) =>
  unwrap(client.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body }));

// --- API keys (admins) -------------------------------------------------------------------------------------

export const listApiKeys = async (): Promise<ApiKey[]> => (await unwrap(client.GET('/api/v1/api-keys'))).collection;

/** The answer holds the key itself, the only time the server ever returns it. */
export const createApiKey = (name: string): Promise<ApiKeyCreated> =>
  unwrap(client.POST('/api/v1/api-keys', { body: { name } }));

export const revokeApiKey = (id: string) =>
  unwrap(client.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } }));

// --- audit log (admins) ------------------------------------------------------------------------------------

export interface AuditFilters {
  /** Entries of any of these actions; none: every action. */
  actions?: AuditAction[];
  actorId?: string;
  /** ISO times: from (inclusive) and to (exclusive). */
  from?: string;
  to?: string;
}

/** A page of the audit log, newest first; `cursor` is the page before's `next_cursor`. */
export const listAuditLog = (f: AuditFilters, cursor?: string): Promise<AuditPage> =>
  unwrap(
    client.GET('/api/v1/audit-log', {
      params: {
        query: {
          ...(f.actions?.length ? { action: f.actions } : {}),
          ...(f.actorId ? { actor_id: f.actorId } : {}),
          ...(f.from ? { from: f.from } : {}),
          ...(f.to ? { to: f.to } : {}),
          ...(cursor ? { cursor } : {}),
          per_page: 50,
        },
      },
    }),
  );

// --- usage (managers, admins) --------------------------------------------------------------------------------

export const getUsage = (from: string, to: string) =>
  unwrap(client.GET('/api/v1/whatsapp/usage', { params: { query: { from, to } } }));

// --- quick replies (everyone reads; managers and admins write) ---------------------------------------------

/** A fresh read, for the Settings screen. */
export const listQuickReplies = async (): Promise<QuickReply[]> =>
  (await unwrap(client.GET('/api/v1/quick-replies'))).collection;

let quickReplies: Promise<QuickReply[]> | null = null;

/** Read once per app session (the "/" list opens instantly after that); Settings changes clear it. */
export function loadQuickReplies(): Promise<QuickReply[]> {
  if (!quickReplies) {
    quickReplies = listQuickReplies();
    // A failure is not kept: the next "/" asks again.
    quickReplies.catch(() => {
      quickReplies = null;
    });
  }
  return quickReplies;
}

export function forgetQuickReplies(): void {
  quickReplies = null;
}

export const createQuickReply = (body: QuickReplyCreate) =>
  unwrap(client.POST('/api/v1/quick-replies', { body })).finally(forgetQuickReplies);

export const updateQuickReply = (id: string, body: QuickReplyUpdate) =>
  unwrap(client.PATCH('/api/v1/quick-replies/{id}', { params: { path: { id } }, body })).finally(forgetQuickReplies);

export const deleteQuickReply = (id: string) =>
  unwrap(client.DELETE('/api/v1/quick-replies/{id}', { params: { path: { id } } })).finally(forgetQuickReplies);

// --- Web Push ------------------------------------------------------------------------------------------------

export const vapidPublicKey = async (): Promise<string> =>
  (await unwrap(client.GET('/api/v1/push/vapid-public-key'))).public_key;

export const savePushSubscription = (body: PushSubscriptionInput) =>
  unwrap(client.POST('/api/v1/push/subscriptions', { body }));

export const deletePushSubscription = (endpoint: string) =>
  unwrap(client.DELETE('/api/v1/push/subscriptions', { body: { endpoint } }));

// --- Meta Conversions API (admins) ---------------------------------------------------------------------------

export type ConversionsSettings = Schemas['ConversionsSettings'];
export type ConversionsSettingsUpdate = Schemas['ConversionsSettingsUpdate'];

export const getConversions = () => unwrap(client.GET('/api/v1/whatsapp/conversions'));

export const setConversions = (body: ConversionsSettingsUpdate) =>
  unwrap(client.PUT('/api/v1/whatsapp/conversions', { body }));

export type ConversionEvent = Schemas['ConversionEvent'];

/** A page of the events reported (or waiting, or failed), newest first; `cursor` is the page before's next_cursor. */
export const listConversionEvents = (cursor?: string) =>
  unwrap(
    client.GET('/api/v1/whatsapp/conversions/events', {
      params: { query: { per_page: 20, ...(cursor ? { cursor } : {}) } },
    }),
  );
