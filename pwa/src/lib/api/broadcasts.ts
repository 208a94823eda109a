// Broadcasts over the typed client: list, one with its report, create, change a draft, preview, start, pause,
// cancel, and the company's frequency cap. Managers and admins only; the server refuses everyone else (403).
import { client, unwrap } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type Broadcast = Schemas['Broadcast'];
export type BroadcastAudience = Schemas['BroadcastAudience'];
export type BroadcastReport = NonNullable<Broadcast['report']>;
export type BroadcastPreview = Schemas['BroadcastPreview'];
export type BroadcastState = Broadcast['state'];
export type FrequencyCap = Schemas['FrequencyCap'];
export type BroadcastInput = Schemas['BroadcastCreate'];

export const listBroadcasts = () =>
  unwrap(client.GET('/api/v1/whatsapp/broadcasts', { params: { query: { per_page: 50 } } }));

export const getBroadcast = (id: string) =>
  unwrap(client.GET('/api/v1/whatsapp/broadcasts/{id}', { params: { path: { id } } }));

export const createBroadcast = (body: BroadcastInput) => unwrap(client.POST('/api/v1/whatsapp/broadcasts', { body }));

export const updateBroadcast = (id: string, body: Partial<BroadcastInput>) =>
  unwrap(client.PATCH('/api/v1/whatsapp/broadcasts/{id}', { params: { path: { id } }, body }));

export const previewBroadcast = (id: string) =>
  unwrap(client.POST('/api/v1/whatsapp/broadcasts/{id}/preview', { params: { path: { id } } }));

export type BroadcastAction = 'start' | 'pause' | 'cancel';

export function moveBroadcast(id: string, action: BroadcastAction): Promise<Broadcast> {
  const params = { params: { path: { id } } };
  switch (action) {
    case 'start':
      return unwrap(client.POST('/api/v1/whatsapp/broadcasts/{id}/start', params));
    case 'pause':
      return unwrap(client.POST('/api/v1/whatsapp/broadcasts/{id}/pause', params));
    case 'cancel':
      return unwrap(client.POST('/api/v1/whatsapp/broadcasts/{id}/cancel', params));
  }
}

export const getFrequencyCap = () => unwrap(client.GET('/api/v1/whatsapp/frequency-cap'));
export const setFrequencyCap = (body: FrequencyCap) => unwrap(client.PUT('/api/v1/whatsapp/frequency-cap', { body }));
