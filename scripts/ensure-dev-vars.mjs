// Creates .dev.vars from the committed .dev.vars.example when it is missing (never overwrites a local edit),
// and reads it back: wrangler dev loads .dev.vars as the local secrets.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @returns {boolean} true when the file was created just now */
export function ensureDevVars(root = ROOT) {
  const target = join(root, '.dev.vars');
  if (existsSync(target)) return false;
  copyFileSync(join(root, '.dev.vars.example'), target);
  return true;
}

/** Parses KEY=VALUE lines (comments, blank lines and surrounding quotes allowed) like wrangler's dotenv reader. */
export function readDevVars(root = ROOT) {
  const vars = {};
  const file = join(root, '.dev.vars');
  if (!existsSync(file)) return vars;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/);
    if (!match) continue;
    let value = match[2];
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    vars[match[1]] = value;
  }
  return vars;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(ensureDevVars() ? 'Created .dev.vars from .dev.vars.example' : '.dev.vars already exists; left as is');
}
