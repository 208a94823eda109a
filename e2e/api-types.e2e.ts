// The PWA's API types are generated from the worker's OpenAPI document; this fails when a route changed and
// the committed types were not regenerated. Regenerate with `npm run api:types` while `npm start` runs, or
// here: `UPDATE_API_TYPES=1 npm test -- e2e/api-types.e2e.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { apiTypesSource } from '../pwa/scripts/api-types-source.mjs';
import { BASE_URL, ROOT } from './local-worker';

const FILE = `${ROOT}pwa/src/lib/api/schema.d.ts`;

it('the committed API types match the running worker', async () => {
  const current = await apiTypesSource(BASE_URL);
  if (process.env.UPDATE_API_TYPES === '1') writeFileSync(FILE, current);
  expect(current, 'regenerate with `UPDATE_API_TYPES=1 npm test -- e2e/api-types.e2e.ts` and commit').toBe(
    readFileSync(FILE, 'utf8'),
  );
});
