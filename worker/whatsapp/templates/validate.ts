// The template request schema: Meta's rules, checked before anything is sent to Meta, so a mistake answers 422
// `invalid_template` naming the exact path at fault instead of a vague (#100) from Meta. The rules themselves
// live in common/templates/template-rules.ts (plain TypeScript, no zod), which the staff app's form imports too.
import { z } from '@hono/zod-openapi';
import {
  LANGUAGE_RULE,
  LIMITS,
  NAME_RULE,
  PARAMETER_FORMATS,
  type RuleOptions,
  TEMPLATE_CATEGORIES,
  type TemplateInput,
  templateProblems,
} from '#common/templates/template-rules';

export {
  formatPath,
  LIMITS,
  PARAMETER_FORMATS,
  type Problem,
  TEMPLATE_CATEGORIES,
  type TemplateInput,
  templateProblems,
} from '#common/templates/template-rules';

// --- The request schema (Meta's own format, plus our variable_map) -------------------------------

const componentSchema = z
  .looseObject({
    type: z.enum(['HEADER', 'BODY', 'FOOTER', 'BUTTONS']),
    format: z.string().optional(),
    text: z.string().optional(),
    example: z.unknown().optional(),
    buttons: z.array(z.looseObject({ type: z.string() })).optional(),
  })
  .openapi('TemplateComponent', {
    description: "A component exactly as Meta's template API takes it (HEADER, BODY, FOOTER, BUTTONS).",
  });

export const templateInputShape = {
  name: z
    .string()
    .min(1, 'a template needs a name')
    .max(LIMITS.name, `at most ${LIMITS.name} characters`)
    .regex(NAME_RULE.pattern, NAME_RULE.message)
    .openapi({ example: 'membership_renewal' }),
  category: z.enum(TEMPLATE_CATEGORIES),
  language: z.string().regex(LANGUAGE_RULE.pattern, LANGUAGE_RULE.message).openapi({ example: 'en_GB' }),
  parameter_format: z.enum(PARAMETER_FORMATS).default('POSITIONAL'),
  components: z.array(componentSchema).min(1).max(4),
};

/** Adds every Meta rule as an issue at its exact path. */
export function refineTemplate(t: TemplateInput, ctx: z.RefinementCtx, o: RuleOptions = {}): void {
  for (const p of templateProblems(t, o)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
}
