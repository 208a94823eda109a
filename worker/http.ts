import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { z } from 'zod';
import { formatPath } from '#common/templates/template-rules';
import type { AuthEnv } from './auth/actor';
import type { ReadDb } from './db/company-data';
import { ApiError, errorBody } from './errors';

/**
 * Every route's env: what auth/ sets (`auth`; `session` only for cookie-authenticated requests, the staff app)
 * and `reads`, set by db/company-data.ts for list routes.
 */
export type AppEnv = { Bindings: Env; Variables: AuthEnv['Variables'] & { reads?: ReadDb } };

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

type HookResult = { success: true } | { success: false; error: { issues: readonly ValidationIssue[] } };

/**
 * A route hook for bodies that carry one of Meta's objects under `field` (e.g. `interactive`): a problem there
 * answers 422 with its own `code`, naming the exact path ("interactive.action.buttons[3]: at most 3 buttons");
 * anything else answers as every route does.
 */
export function fieldErrorHook(field: string, code: string) {
  return (result: HookResult, c: Context<AppEnv>) => {
    if (result.success) return;
    const issue = result.error.issues.find((i) => i.path[0] === field);
    if (issue) return c.json(errorBody(code, `${formatPath(issue.path)}: ${issue.message}`), 422);
    const described = describeIssues(result.error.issues);
    return c.json(errorBody(described.code, described.message), 422);
  };
}

/**
 * An optional JSON body: none at all (whatever the Content-Type says) reads as `{}`; malformed JSON is 400
 * `invalid_request`, and a body the schema refuses is 422, like every other route.
 */
export async function optionalJson<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const text = (await request.text()).trim();
  let value: unknown = {};
  if (text !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'invalid_request', 'The body is not valid JSON');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const { code, message } = describeIssues(parsed.error.issues);
    throw new ApiError(422, code, message);
  }
  return parsed.data;
}
