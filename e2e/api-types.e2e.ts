// The PWA's API types are generated from the worker's OpenAPI document; this fails when a route changed and
// the committed types were not regenerated (`npm run api:types` with the worker running).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { apiTypesSource } from '../pwa/scripts/api-types-source.mjs';
import { BASE_URL, ROOT } from './local-worker';

it('the committed API types match the running worker', async () => {
  const committed = readFileSync(`${ROOT}pwa/src/lib/api-schema.d.ts`, 'utf8');
  expect(await apiTypesSource(BASE_URL), 'run `npm start`, then `npm run api:types`, and commit').toBe(committed);
});
