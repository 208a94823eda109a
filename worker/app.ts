import { Scalar } from '@scalar/hono-api-reference';
import { HTTPException } from 'hono/http-exception';
import { timing } from 'hono/timing';
import { adminNumberRoutes } from './admin/numbers-routes';
import { adminRoutes } from './admin/routes';
import { adRoutes } from './ads/routes';
import { auditRoutes } from './audit/routes';
import { clubRoutes } from './clubs/routes';
import { ConfigError, whatsappMode } from './config';
import { adminConversionsRoutes, conversionsRoutes } from './conversions/routes';
import { readFromPrimaryNext } from './db/company-data';
import { ApiError, errorBody } from './errors';
import { historyRoutes } from './history/routes';
import { newRouter } from './http';
import { inboxRoutes } from './inbox/routes';
import { personLabelRoutes } from './labels/person-routes';
import { labelRoutes } from './labels/routes';
import { noteRoutes } from './notes/routes';
import { withSharedErrors } from './openapi-document';
import { personDataRoutes } from './people/data-routes';
import { ownerRoutes } from './people/owner-routes';
import { peopleRoutes } from './people/routes';
import { pipelineRoutes } from './pipeline/routes';
import { pushRoutes } from './push/routes';
import { quickReplyRoutes } from './quick-replies/routes';
import { realtimeRoutes } from './realtime/routes';
import { adReportRoutes } from './reports/ads-routes';
import { reportRoutes } from './reports/routes';
import { sandboxAdRoutes } from './sandbox/ads';
import { sandboxPushRoutes } from './sandbox/push-service';
import { sandboxRoutes } from './sandbox/routes';
import { seedRoutes } from './sandbox/seed';
import { sandboxSignupRoutes } from './sandbox/signup-routes';
import { sandboxTemplateRoutes } from './sandbox/template-routes';
import { securityHeaders } from './security-headers';
import { sessionRoutes } from './session/routes';
import { connectionRoutes } from './settings/connection';
import { apiKeyRoutes, userRoutes } from './settings/routes';
import { shiftRoutes } from './shifts/routes';
import { usageRoutes } from './usage/routes';
import { automationRoutes } from './whatsapp/automations/routes';
import { frequencyCapRoutes } from './whatsapp/broadcasts/cap-routes';
import { broadcastRoutes } from './whatsapp/broadcasts/routes';
import { mediaRoutes } from './whatsapp/media/routes';
import { whatsappRoutes } from './whatsapp/routes';
import { signupRoutes } from './whatsapp/signup/routes';
import { templateRoutes } from './whatsapp/templates/routes';
import { webhookRoutes } from './whatsapp/webhook';

export function buildApp() {
  const app = newRouter();

  // `Server-Timing: total;dur=…` on every API answer: the worker's own time, apart from the network's, for
  // integrators and for the benchmarks (locally, wrangler's proxy adds more to a request's tail than the worker).
  // Workers' clocks move only across I/O, so it is the time to the last I/O (whole milliseconds locally). Outside
  // securityHeaders, which leaves every answer's headers writable; a WebSocket upgrade gets none.
  app.use('/api/*', timing({ crossOrigin: false, enabled: (c) => c.res.status !== 101 }));
  // First, so it also dresses the answers of onError and notFound.
  app.use('*', securityHeaders());

  // A misconfigured deployment refuses everything, loudly, rather than guess where messages should go.
  app.use('*', async (c, next) => {
    whatsappMode(c.env);
    await next();
  });
  app.get('/api/health', (c) => c.json({ ok: true }));
  // A write's caller reads from the primary next: list reads go to replicas (db/company-data.ts).
  app.use('/api/v1/*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.res.status < 400) readFromPrimaryNext(c);
  });
  app.route('/api/admin', adminNumberRoutes);
  app.route('/api/admin', adminRoutes);
  app.route('/api/admin', adminConversionsRoutes);
  app.route('/api/auth', sessionRoutes);
  app.route('/api/v1/me', shiftRoutes);
  app.route('/api/v1/people', peopleRoutes);
  app.route('/api/v1', ownerRoutes);
  app.route('/api/v1/people', historyRoutes);
  app.route('/api/v1/people', personDataRoutes);
  app.route('/api/v1/people', whatsappRoutes);
  app.route('/api/v1/push', pushRoutes);
  app.route('/api/v1/quick-replies', quickReplyRoutes);
  app.route('/api/v1/clubs', clubRoutes);
  app.route('/api/v1/pipeline', pipelineRoutes);
  app.route('/api/v1/labels', labelRoutes);
  app.route('/api/v1/people', personLabelRoutes);
  app.route('/api/v1/people', noteRoutes);
  app.route('/api/v1/users', userRoutes);
  app.route('/api/v1/api-keys', apiKeyRoutes);
  app.route('/api/v1/audit-log', auditRoutes);
  app.route('/api/v1/whatsapp/connection', connectionRoutes);
  app.route('/api/v1/whatsapp/signups', signupRoutes);
  app.route('/api/v1', inboxRoutes);
  app.route('/api/v1', realtimeRoutes);
  app.route('/api/v1/whatsapp/templates', templateRoutes);
  app.route('/api/v1/whatsapp/usage', usageRoutes);
  app.route('/api/v1/whatsapp/media', mediaRoutes);
  app.route('/api/v1/reports', reportRoutes);
  app.route('/api/v1/whatsapp/automations', automationRoutes);
  app.route('/api/v1/whatsapp/broadcasts', broadcastRoutes);
  app.route('/api/v1/whatsapp/frequency-cap', frequencyCapRoutes);
  // Leads from ads (issue 17): the ad's picture, the ads report, the Conversions API settings.
  app.route('/api/v1/people', adRoutes);
  app.route('/api/v1/reports/ads', adReportRoutes);
  app.route('/api/v1/whatsapp/conversions', conversionsRoutes);
  app.route('/webhooks/whatsapp', webhookRoutes);
  app.route('/sandbox', sandboxRoutes);
  app.route('/sandbox', seedRoutes);
  app.route('/sandbox', sandboxTemplateRoutes);
  app.route('/sandbox', sandboxPushRoutes);
  app.route('/sandbox', sandboxSignupRoutes);
  app.route('/sandbox', sandboxAdRoutes);

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key made by the platform admin for one company.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-cc_session',
    description: 'A staff session (POST /api/auth/login); writes must be JSON from the same Origin.',
  });
  app.get('/api/v1/openapi.json', (c) =>
    c.json(
      withSharedErrors(
        app.getOpenAPI31Document({
          openapi: '3.1.0',
          info: { title: 'ClubChat API', version: '1.0.0', description: 'WhatsApp messaging for gym sales teams.' },
          security: [{ apiKey: [] }, { session: [] }],
        }),
      ),
    ),
  );
  app.get('/api/v1/docs', Scalar({ url: '/api/v1/openapi.json', pageTitle: 'ClubChat API reference' }));

  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status);
    if (err instanceof ConfigError) {
      console.error('configuration error', err.message);
      return c.json(errorBody('config_error', err.message), 500);
    }
    if (err instanceof HTTPException) {
      // The same codes a route's own checks use: a body that is not JSON is 415 whoever sends it.
      const code =
        err.status === 400 ? 'invalid_request' : err.status === 415 ? 'unsupported_media_type' : 'http_error';
      return c.json(errorBody(code, err.message || 'Bad request'), err.status);
    }
    console.error('unhandled error', c.req.method, c.req.path, err);
    return c.json(errorBody('internal_error', 'Something went wrong on our side; please try again'), 500);
  });
  return app;
}

export type App = ReturnType<typeof buildApp>;
