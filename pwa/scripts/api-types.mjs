// Regenerates the PWA's API types (pwa/src/lib/api/schema.d.ts) from the worker's OpenAPI document, which
// comes from the same zod schemas the routes validate with. Needs a running worker:
//   npm start                      (in one terminal)
//   npm run api:types [-- <base>]  (default http://127.0.0.1:8787)
// The browser tests fail when the committed file no longer matches the worker (e2e/api-types.e2e.ts).
import { writeFileSync } from 'node:fs';
import { apiTypesSource } from './api-types-source.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:8787';
const out = new URL('../src/lib/api/schema.d.ts', import.meta.url);
writeFileSync(out, await apiTypesSource(base));
console.log(`wrote ${out.pathname} from ${base}/api/v1/openapi.json`);
