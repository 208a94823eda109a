// `npm run check`: worker code reaches D1 only through worker/db/ — `companyDb` / `companyDatabase` for a
// company's data (the shard boundary), `platformDb` / `platformDatabase` for the directory — never `env.DB` or
// the tests' `getDb` directly, so the one place that will route a company to its own database sees every query.
// worker/sandbox/ (Meta's simulator and the demo seed: never part of a live deployment) is left out.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const FORBIDDEN = [/\benv\.DB\b/, /\bgetDb\(/];
const SKIP = ['worker/db/', 'worker/sandbox/'];

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

const found = [];
for (const path of files(join(ROOT, 'worker'))) {
  const rel = relative(ROOT, path);
  if (SKIP.some((s) => rel.startsWith(s))) continue;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (FORBIDDEN.some((re) => re.test(line))) found.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
}
if (found.length > 0) {
  console.error('D1 reached around worker/db/ (use companyDb/companyDatabase or platformDb/platformDatabase):');
  for (const f of found) console.error(`  ${f}`);
  process.exit(1);
}
console.log('data access: every D1 query in worker/ goes through worker/db/');
