// The Reports screen's four reports (worker/reports/): each for a range of the company's days, optionally one
// club and (managers) one user. Staff get their own figures whatever they ask.
import { client, unwrap } from './client';
import type { components } from './schema';

export type SpeedToLeadReport = components['schemas']['SpeedToLeadReport'];
export type SpeedFigures = components['schemas']['SpeedFigures'];
export type ConversationsReport = components['schemas']['ConversationsReport'];
export type FunnelReport = components['schemas']['FunnelReport'];
export type TemplatesReport = components['schemas']['TemplatesReport'];

export interface ReportQuery {
  from: string;
  to: string;
  club?: string;
  user?: string;
}

export const getSpeedToLead = (query: ReportQuery & { cursor?: string }) =>
  unwrap(client.GET('/api/v1/reports/speed-to-lead', { params: { query } }));

export const getConversationsReport = (query: ReportQuery) =>
  unwrap(client.GET('/api/v1/reports/conversations', { params: { query } }));

export const getFunnel = (query: ReportQuery) => unwrap(client.GET('/api/v1/reports/funnel', { params: { query } }));

export const getTemplatesReport = (query: ReportQuery) =>
  unwrap(client.GET('/api/v1/reports/templates', { params: { query } }));
