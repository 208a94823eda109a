// Creates .dev.vars from the committed .dev.vars.example when it is missing (never overwrites a local edit),
// and reads it back: wrangler dev loads .dev.vars as the local secrets.
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @returns {boolean} true when the file was created just now */
export function ensureDevVars(root = ROOT) {
  const target = join(root, '.dev.vars');
  const created = !existsSync(target);
  if (created) copyFileSync(join(root, '.dev.vars.example'), target);
  if (ensureVapidKeys(root)) console.log('Generated a local VAPID key pair for Web Push in .dev.vars');
  return created;
}

/**
 * A P-256 key pair for Web Push (VAPID, RFC 8292) in the form browsers and the worker read: the public key as the
 * base64url 65-byte uncompressed point (0x04 || x || y), the private key as the base64url 32-byte scalar.
 */
export function generateVapidKeys() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = privateKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  return { publicKey: point.toString('base64url'), privateKey: jwk.d };
}

/**
 * Fills VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY in .dev.vars when either is missing or empty (both are replaced
 * together: half a pair is useless). Keys already set are left alone, so subscriptions made locally keep working.
 * @returns {boolean} true when a pair was generated just now
 */
export function ensureVapidKeys(root = ROOT) {
  const file = join(root, '.dev.vars');
  if (!existsSync(file)) return false;
  const vars = readDevVars(root);
  if (vars.VAPID_PUBLIC_KEY && vars.VAPID_PRIVATE_KEY) return false;
  const keys = generateVapidKeys();
  const wanted = { VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey };
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  for (const [name, value] of Object.entries(wanted)) {
    const at = lines.findIndex((line) => new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=`).test(line));
    if (at >= 0) lines[at] = `${name}=${value}`;
    else lines.splice(lines.at(-1) === '' ? lines.length - 1 : lines.length, 0, `${name}=${value}`);
  }
  if (!vars.VAPID_SUBJECT && !lines.some((line) => /^\s*VAPID_SUBJECT\s*=/.test(line)))
    lines.splice(
      lines.at(-1) === '' ? lines.length - 1 : lines.length,
      0,
      'VAPID_SUBJECT=mailto:push@clubchat.example',
    );
  writeFileSync(file, lines.join('\n'));
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
