import { Answer } from './answer.ts';

function modelObject(id: string) {
  return { id, object: 'model', created: 1_700_000_000, owned_by: 'system' };
}

/** `GET /v1/models` and `GET /v1/models/{id}`; undefined for any other request. */
export function modelsAnswer(method: string, path: string, models: readonly string[]): Answer | undefined {
  if (method !== 'GET') return undefined;
  if (path === '/v1/models') return new Answer(200, { object: 'list', data: models.map(modelObject) });
  const modelId = /^\/v1\/models\/([^/]+)$/.exec(path)?.[1];
  return modelId ? new Answer(200, modelObject(decodeURIComponent(modelId))) : undefined;
}
