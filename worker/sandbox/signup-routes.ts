// The simulator's stand-in for Facebook's Embedded Signup popup (sandbox mode only). The app opens
// /sandbox/embedded-signup where live mode's SDK opens www.facebook.com; the page lets a person finish (or cancel,
// or ask Meta to fail a step) and posts to the page that opened it what Facebook's popup posts: the
// `WA_EMBEDDED_SIGNUP` message event, and the FB.login answer with its code. Codes, WABAs and numbers come from the
// "business" MetaSandbox instance, which then plays the Graph calls that follow.
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { requireCompanyAuth } from '../auth/middleware';
import { getDb } from '../db/client';
import { companies } from '../db/schema';
import { newRouter } from '../http';
import { sandboxOnly } from './guard';
import { signupFaultSchema, signupSessionSchema } from './signup-controls';
import { SANDBOX_BUSINESS_OBJECT } from './signup-store';

export const sandboxSignupRoutes = newRouter();

/** The page runs only its own script and style, posts only to its own origin, and is never framed. */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Meta (sandbox): Embedded Signup</title>
<link rel="stylesheet" href="/sandbox/embedded-signup.css">
<script type="module" src="/sandbox/embedded-signup.js"></script>
</head>
<body>
<main>
  <p class="badge">Sandbox: this page plays Facebook’s dialog</p>
  <h1>Connect WhatsApp to ClubChat</h1>
  <p>In live mode Facebook asks the gym to log in, pick or create its business, WhatsApp Business Account and number, and verify the number by SMS. Here you choose what Meta hands back.</p>
  <form id="signup">
    <label for="name">Business display name</label>
    <input id="name" name="name" value="Riverside Fitness" required maxlength="100">
    <label for="phone">Business phone number</label>
    <input id="phone" name="phone" inputmode="tel" placeholder="Any UK mobile, or leave for a new one">
    <label for="existing-pin">The number already has a two-step PIN (optional)</label>
    <input id="existing-pin" name="existing_pin" inputmode="numeric" pattern="[0-9]{6}" maxlength="6">
    <label for="fail">Meta misbehaves at</label>
    <select id="fail" name="fail_step">
      <option value="">Nothing: every step works</option>
      <option value="exchange_code">The code exchange</option>
      <option value="register_number">Registering the number</option>
      <option value="subscribe_app">Subscribing to webhooks</option>
      <option value="fetch_number">Reading the number</option>
    </select>
    <p id="error" role="alert" hidden></p>
    <div class="actions">
      <button type="button" id="cancel">Cancel</button>
      <button type="submit" id="finish">Finish</button>
    </div>
  </form>
</main>
</body>
</html>`;

const CSS = `body{font:16px/1.4 system-ui,sans-serif;margin:0;background:#f0f2f5;color:#1c1e21}
main{max-width:420px;margin:0 auto;padding:16px}
h1{font-size:20px;margin:8px 0}
.badge{display:inline-block;background:#1877f2;color:#fff;border-radius:4px;padding:2px 8px;font-size:13px}
label{display:block;margin:12px 0 4px;font-weight:600}
input,select{box-sizing:border-box;width:100%;padding:10px;font-size:16px;border:1px solid #ccd0d5;border-radius:6px;background:#fff}
.actions{display:flex;gap:8px;margin-top:16px}
button{flex:1;padding:12px;font-size:16px;border-radius:6px;border:1px solid #ccd0d5;background:#fff}
button[type=submit]{background:#1877f2;color:#fff;border-color:#1877f2}
[role=alert]{color:#b00020}`;

// What Facebook's popup posts (JSON string, session info v3) and what FB.login's callback receives (here posted
// too, as no SDK is in between). Only to this origin, the app's own.
const SCRIPT = `const form = document.getElementById('signup');
const error = document.getElementById('error');
const post = (message) => window.opener?.postMessage(message, location.origin);
const loginAnswer = (response) => post({ type: 'SANDBOX_FB_LOGIN', response });
document.getElementById('cancel').addEventListener('click', () => {
  post(JSON.stringify({ type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL', data: { current_step: 'PHONE_NUMBER_SETUP' }, version: 3 }));
  loginAnswer({ authResponse: null, status: 'unknown' });
  window.close();
});
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const body = { verified_name: data.get('name') };
  if (data.get('phone')) body.display_phone_number = String(data.get('phone')).replace(/[^0-9+ ]/g, '');
  if (data.get('existing_pin')) body.existing_pin = data.get('existing_pin');
  if (data.get('fail_step')) body.fail_step = data.get('fail_step');
  document.getElementById('finish').disabled = true;
  const res = await fetch('/sandbox/embedded-signup/session', {
    method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const answer = await res.json();
  if (!res.ok) {
    error.textContent = answer.error ? answer.error.message : 'The simulator refused';
    error.hidden = false;
    document.getElementById('finish').disabled = false;
    return;
  }
  post(JSON.stringify({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH',
    data: { phone_number_id: answer.phone_number_id, waba_id: answer.waba_id, business_id: answer.business_id }, version: 3 }));
  loginAnswer({ authResponse: { code: answer.code }, status: 'connected' });
  window.close();
});`;

const asset = (body: string, type: string) =>
  new Response(body, {
    headers: { 'Content-Type': type, 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store' },
  });

sandboxSignupRoutes.get('/embedded-signup', sandboxOnly, () => asset(PAGE, 'text/html; charset=utf-8'));
sandboxSignupRoutes.get('/embedded-signup.js', sandboxOnly, () => asset(SCRIPT, 'text/javascript; charset=utf-8'));
sandboxSignupRoutes.get('/embedded-signup.css', sandboxOnly, () => asset(CSS, 'text/css; charset=utf-8'));

const ok = { description: 'OK' };
const middleware = [sandboxOnly, requireCompanyAuth];

/** The number goes under the company's WABA if it has one (as a gym picks its account in Facebook's dialog). */
sandboxSignupRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/embedded-signup/session',
    hide: true,
    middleware,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: signupSessionSchema.extend({ new_waba: z.boolean().optional() }),
          },
        },
      },
    },
    responses: { 200: ok },
  }),
  async (c) => {
    const { new_waba: newWaba, ...body } = c.req.valid('json');
    const company = await getDb(c.env)
      .select({ wabaId: companies.wabaId })
      .from(companies)
      .where(eq(companies.id, c.get('auth').companyId))
      .get();
    const wabaId = body.waba_id ?? (newWaba ? undefined : (company?.wabaId ?? undefined));
    const session = await c.env.META_SANDBOX.getByName(SANDBOX_BUSINESS_OBJECT).signupFinish({
      ...body,
      ...(wabaId ? { waba_id: wabaId } : {}),
    });
    return c.json(session, 200);
  },
);

sandboxSignupRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/embedded-signup/faults',
    hide: true,
    middleware,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.strictObject({
              phone_number_id: z.string().regex(/^\d{1,32}$/),
              faults: z.array(signupFaultSchema).min(1).max(20),
            }),
          },
        },
      },
    },
    responses: { 202: ok },
  }),
  async (c) => {
    const { phone_number_id, faults } = c.req.valid('json');
    await c.env.META_SANDBOX.getByName(SANDBOX_BUSINESS_OBJECT).signupQueueFaults(phone_number_id, faults);
    return c.json({ queued: faults.length }, 202);
  },
);
