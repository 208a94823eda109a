// /api/v1/whatsapp/signups: a company admin connects a WhatsApp number with Meta's Embedded Signup (Settings >
// WhatsApp). The app opens Meta's dialog and posts what it returns; the steps after it run here (service.ts).
import { createRoute } from '@hono/zod-openapi';
import { auditByOf } from '../../audit/record';
import { requireCompanyAuth } from '../../auth/middleware';
import { requirePermission } from '../../auth/permissions';
import { newRouter } from '../../http';
import { errorResponses, jsonBody } from '../../openapi-responses';
import { signupIdParams, signupResumeSchema, signupSchema, signupStartSchema, signupStateSchema } from './schemas';
import { getSignup, resumeSignup, serializeSignup, signupState, startSignup } from './service';

export const signupRoutes = newRouter();
signupRoutes.use('*', requireCompanyAuth, requirePermission('whatsapp_connect'));

const tags = ['Settings: WhatsApp'];

signupRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'whatsappSignupState',
    summary: 'How to open Meta’s Embedded Signup, and the latest signup (admins)',
    tags,
    responses: { 200: jsonBody(signupStateSchema, 'The launcher and the latest signup'), ...errorResponses(401, 403) },
  }),
  async (c) => c.json(await signupState(c.env, c.get('auth').companyId), 200),
);

signupRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    operationId: 'whatsappSignupStart',
    summary: 'Connect a number with what Meta’s Embedded Signup returned (admins)',
    description:
      'The code of FB.login’s answer (it lasts 30 seconds) and the WABA and number ids of the popup’s ' +
      '`WA_EMBEDDED_SIGNUP` FINISH event. The server exchanges the code for a business token, registers the number, ' +
      'subscribes ClubChat to the WABA’s webhooks, reads the number’s display number and name, stores the token ' +
      'encrypted and connects the number (the first number of the company, else one for `club_id`). Answers 201 with ' +
      'the signup: `connected`, or `failed` with the step and its reason in words (`resumable` says whether Resume ' +
      'can go on without the dialog). 409 `whatsapp_switched_off` (the platform admin switched WhatsApp off), ' +
      '`waba_mismatch` (another WABA than the company’s), `phone_number_taken`, `signup_in_progress`; 503 ' +
      '`signup_not_configured`.',
    tags,
    request: { body: { required: true, ...jsonBody(signupStartSchema, 'The dialog’s code and ids') } },
    responses: {
      201: jsonBody(signupSchema, 'The signup, connected or stopped at a step'),
      ...errorResponses(400, 401, 403, 409, 415, 422, 503),
    },
  }),
  async (c) => {
    const { companyId, actor } = c.get('auth');
    const row = await startSignup(c.env, companyId, actor.id, c.req.valid('json'), auditByOf(c));
    return c.json(serializeSignup(row), 201);
  },
);

signupRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    operationId: 'whatsappSignupGet',
    summary: 'One signup and its steps (admins)',
    tags,
    request: { params: signupIdParams },
    responses: { 200: jsonBody(signupSchema, 'The signup'), ...errorResponses(401, 403, 404) },
  }),
  async (c) => c.json(serializeSignup(await getSignup(c.env, c.get('auth').companyId, c.req.valid('param').id)), 200),
);

signupRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/resume',
    operationId: 'whatsappSignupResume',
    summary: 'Continue a failed signup from its failed step (admins)',
    description:
      'Runs the failed step again and the ones after it, without Meta’s dialog, while the code (30 seconds) or the ' +
      'business token is valid; `pin` gives the number’s existing two-step PIN after `pin_mismatch`. 409 ' +
      '`signup_in_progress` (it is running), `signup_finished`, `code_expired` / `token_expired` (connect with ' +
      'Facebook again).',
    tags,
    request: {
      params: signupIdParams,
      body: { required: false, ...jsonBody(signupResumeSchema, 'Optionally, the number’s PIN') },
    },
    responses: {
      200: jsonBody(signupSchema, 'The signup, connected or stopped at a step'),
      ...errorResponses(400, 401, 403, 404, 409, 415, 422),
    },
  }),
  async (c) => {
    const { companyId } = c.get('auth');
    const row = await resumeSignup(c.env, companyId, c.req.valid('param').id, c.req.valid('json') ?? {}, auditByOf(c));
    return c.json(serializeSignup(row), 200);
  },
);
