// Meta's Conversions API (`POST /{dataset-id}/events`), played by the simulator: one MetaSandbox instance per
// dataset (`dataset:<id>`) validates the body with the client's own schema (conversions-schema.ts), answers as
// Meta does ({events_received, fbtrace_id}) and keeps what it received, so tests assert on what Meta got. Queued
// faults answer instead, one call each: an HTTP error, or an answer that comes too late (the events were taken).
import { type ConversionsRequest, conversionsRequestSchema } from '../whatsapp/meta/conversions-schema';
import type { SandboxFault } from './controls';
import { graphError, invalidParameter, metaTitle } from './graph-errors';
import { newFbtraceId } from './ids';

export interface ReceivedConversions {
  datasetId: string;
  /** The request body as received. */
  body: ConversionsRequest;
  at: number;
}

const PREFIX = 'capi:';
const SEQ = 'capi_seq';

/** What the dataset received, in order (each accepted request once, whatever happened to the answer). */
export function receivedConversions(kv: SyncKvStorage): ReceivedConversions[] {
  return [...kv.list<ReceivedConversions>({ prefix: PREFIX })].map(([, value]) => value);
}

export async function handleConversions(
  request: Request,
  datasetId: string,
  kv: SyncKvStorage,
  fault: SandboxFault | null,
  hang: () => Promise<void>,
): Promise<Response> {
  if (request.method !== 'POST') return invalidParameter(`Unsupported ${request.method} on /${datasetId}/events`);
  if (fault?.kind === 'http')
    return graphError({
      status: fault.status,
      code: fault.code,
      title: fault.title ?? metaTitle(fault.code),
      retryAfterSeconds: fault.retryAfterSeconds,
    });
  let json: unknown;
  try {
    json = await request.json();
  } catch {
    return invalidParameter('Request body is not valid JSON');
  }
  const parsed = conversionsRequestSchema.safeParse(json);
  if (!parsed.success) return invalidParameter(parsed.error.message);
  const seq = kv.get<number>(SEQ) ?? 0;
  kv.put(`${PREFIX}${String(seq).padStart(8, '0')}`, { datasetId, body: parsed.data, at: Date.now() });
  kv.put(SEQ, seq + 1);
  // Meta has the events; the caller may still never see this answer.
  if (fault?.kind === 'timeout') await hang();
  return Response.json({ events_received: parsed.data.data.length, messages: [], fbtrace_id: newFbtraceId() });
}
