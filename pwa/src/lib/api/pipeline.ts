// The company's lead stages and labels: read once per app session for pickers and filters.
import { client, unwrap } from './client';
import type { components } from './schema';

export type Stage = components['schemas']['Stage'];
export type Label = components['schemas']['Label'];

let stages: Promise<Stage[]> | null = null;

/** The pipeline, in order; a failure is not kept, so the next screen asks again. */
export function loadStages(): Promise<Stage[]> {
  if (!stages) {
    stages = unwrap(client.GET('/api/v1/pipeline')).then((p) => p.stages);
    stages.catch(() => {
      stages = null;
    });
  }
  return stages;
}

export type PipelinePut = components['schemas']['PipelinePut'];

/** Replaces the whole pipeline (admins); what every picker reads next is the answer. */
export async function savePipeline(body: PipelinePut): Promise<Stage[]> {
  const saved = (await unwrap(client.PUT('/api/v1/pipeline', { body }))).stages;
  stages = Promise.resolve(saved);
  return saved;
}

/** The pipeline as the server has it now (the editor), also kept for the pickers. */
export async function reloadStages(): Promise<Stage[]> {
  stages = null;
  return loadStages();
}

export const listLabels = async (): Promise<Label[]> => (await unwrap(client.GET('/api/v1/labels'))).collection;

export const getPersonLabels = async (id: string): Promise<Label[]> =>
  (await unwrap(client.GET('/api/v1/people/{id}/labels', { params: { path: { id } } }))).labels;

/** Replaces the person's labels with these; answers the labels they wear now. */
export const setPersonLabels = async (id: string, labelIds: string[]): Promise<Label[]> =>
  (await unwrap(client.PUT('/api/v1/people/{id}/labels', { params: { path: { id } }, body: { label_ids: labelIds } })))
    .labels;

export type LabelCreate = components['schemas']['LabelCreate'];

export const createLabel = (body: LabelCreate): Promise<Label> => unwrap(client.POST('/api/v1/labels', { body }));

export const deleteLabel = (id: string) => unwrap(client.DELETE('/api/v1/labels/{id}', { params: { path: { id } } }));
