import { OpenAPIHono } from '@hono/zod-openapi';
import type { CompanyAuth } from './auth/actor';
import type { SessionUser } from './auth/sessions';
import { errorBody } from './errors';

/** `session` is set only for cookie-authenticated requests (the staff app). */
export type AppEnv = { Bindings: Env; Variables: { auth: CompanyAuth; session?: SessionUser } };

interface ValidationIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

/** Turns zod issues into one readable message; unknown body fields get their own code (no mass assignment). */
export function describeIssues(issues: readonly ValidationIssue[]): { code: string; message: string } {
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown) return { code: 'unknown_field', message: `Unknown field(s): ${(unknown.keys ?? []).join(', ')}` };
  const message = issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
  return { code: 'validation_failed', message };
}

/** Every router shares this hook so a bad input always answers 422 `{ error: { code, message } }`. */
export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const { code, message } = describeIssues(result.error.issues);
        return c.json(errorBody(code, message), 422);
      }
    },
  });
}
