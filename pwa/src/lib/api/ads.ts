// Leads from click-to-WhatsApp ads: the ad a message came from (its `referral`), a person's first and latest ad
// (`lead_source`), the picture of an ad, and the ads report.
import { client, unwrap } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type AdReferral = NonNullable<Schemas['HistoryNote']['referral']>;
export type LeadSource = NonNullable<Schemas['Person']['lead_source']['first']>;
export type AdReport = Schemas['AdReport'];
export type AdReportRow = Schemas['AdReportRow'];

/**
 * Where the app shows an ad's picture from: the worker's GET /people/{id}/ad-thumbnail/{note_id}, which fetches it
 * from Meta's CDN. An <img> source, not a fetch: the page's CSP allows images from its own origin only.
 */
export const adThumbnailUrl = (personId: string, noteId: string): string =>
  `/api/v1/people/${encodeURIComponent(personId)}/ad-thumbnail/${encodeURIComponent(noteId)}`;

/** Leads, replies and joined per ad; the last 30 days unless a period is given; every club seen unless one is. */
export const adsReport = (period: { from?: string; to?: string; club?: string } = {}) =>
  unwrap(client.GET('/api/v1/reports/ads', { params: { query: period } }));
