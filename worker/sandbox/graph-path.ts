// Which simulated Graph object a request is for. Meta's objects map onto MetaSandbox instances:
// a phone number id serves /messages, a WABA id serves /message_templates, and media ids (global at Meta)
// live in one shared instance.

export const MEDIA_OBJECT = 'media';
export const wabaObject = (wabaId: string): string => `waba:${wabaId}`;
export const datasetObject = (datasetId: string): string => `dataset:${datasetId}`;

export type GraphTarget =
  | { kind: 'messages'; phoneNumberId: string }
  | { kind: 'templates'; wabaId: string }
  | { kind: 'media'; mediaId: string }
  /** `POST /{phone-number-id}/media`: uploads go to the shared media instance, which keeps the number. */
  | { kind: 'upload'; phoneNumberId: string }
  /** Resumable Upload API (sandbox/resumable-uploads.ts): `POST /{app-id}/uploads` opens a session... */
  | { kind: 'upload_start'; appId: string }
  /** ...and `POST /upload:<id>?sig=` takes the bytes. Both in the shared media instance, as handles are global. */
  | { kind: 'upload_session'; sessionId: string }
  /** Conversions API: `POST /{dataset-id}/events` (sandbox/conversions.ts). */
  | { kind: 'events'; datasetId: string }
  | { kind: 'unknown'; objectId: string };

/** `/sandbox/graph/v23.0/{id}[/{edge}]`; any `vNN.N` version, as Meta serves several at once. */
export function graphTarget(pathname: string): GraphTarget | null {
  const match = pathname.match(/^\/sandbox\/graph\/v\d+\.\d+\/([^/]+)(?:\/([^/]+))?\/?$/);
  if (!match?.[1]) return null;
  const objectId = decodeURIComponent(match[1]);
  const edge = match[2];
  if (edge === 'messages') return { kind: 'messages', phoneNumberId: objectId };
  if (edge === 'message_templates') return { kind: 'templates', wabaId: objectId };
  if (edge === 'media') return { kind: 'upload', phoneNumberId: objectId };
  if (edge === 'events') return { kind: 'events', datasetId: objectId };
  if (edge === 'uploads') return { kind: 'upload_start', appId: objectId };
  if (edge === undefined && objectId.startsWith('upload:')) return { kind: 'upload_session', sessionId: objectId };
  if (edge === undefined) return { kind: 'media', mediaId: objectId };
  return { kind: 'unknown', objectId };
}

/** The MetaSandbox instance name that owns a target. */
export function objectNameFor(target: GraphTarget): string | null {
  switch (target.kind) {
    case 'messages':
      return target.phoneNumberId;
    case 'templates':
      return wabaObject(target.wabaId);
    case 'media':
    case 'upload':
    case 'upload_start':
    case 'upload_session':
      return MEDIA_OBJECT;
    case 'events':
      return datasetObject(target.datasetId);
    case 'unknown':
      return null;
  }
}
