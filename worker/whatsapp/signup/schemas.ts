// Embedded Signup's requests and answers (worker/whatsapp/signup/routes.ts). Bodies are strict, ids are Meta's
// digits; the code, the token and the PIN are never answered back.
import { z } from '@hono/zod-openapi';
import { SIGNUP_PIN, SIGNUP_STEPS } from '#common/whatsapp-signup';

const metaId = z.string().regex(/^\d{1,32}$/, 'digits only, as Meta gives it');

export const signupStartSchema = z
  .object({
    /** `authResponse.code` of FB.login's answer: exchanged on the server within its 30 seconds. */
    code: z.string().trim().min(1).max(2048),
    /** From the popup's WA_EMBEDDED_SIGNUP FINISH message event. */
    waba_id: metaId.openapi({ example: '102290129340398' }),
    phone_number_id: metaId.openapi({ example: '106540352242922' }),
    business_id: metaId.optional(),
    /** The club a further number goes to; left out, the company's first club. The first number is always its first club's. */
    club_id: z.string().min(1).max(64).optional(),
    /** The number's two-step verification PIN, if it already has one; left out, ClubChat sets a new one. */
    pin: z.string().regex(SIGNUP_PIN, 'six digits').optional(),
  })
  .strict()
  .openapi('WhatsappSignupStart');

export const signupResumeSchema = z
  .object({
    /** The number's existing two-step verification PIN, after Meta refused ours (pin_mismatch). */
    pin: z.string().regex(SIGNUP_PIN, 'six digits').optional(),
  })
  .strict()
  .openapi('WhatsappSignupResume');

export const signupIdParams = z.object({ id: z.string().min(1).max(64) });

const stepSchema = z.object({
  name: z.enum(SIGNUP_STEPS),
  state: z.enum(['done', 'running', 'failed', 'pending']),
});

export const signupSchema = z
  .object({
    id: z.string(),
    status: z.enum(['running', 'failed', 'connected', 'abandoned']),
    waba_id: z.string(),
    phone_number_id: z.string(),
    display_phone_number: z.string().nullable(),
    verified_name: z.string().nullable(),
    club_id: z.string().nullable(),
    steps: z.array(stepSchema),
    /** The failed step's reason, in words for the person who connects. */
    error: z.object({ step: z.enum(SIGNUP_STEPS), code: z.string(), message: z.string() }).nullable(),
    /**
     * Whether Resume can continue without Meta's dialog: a failed step whose code (30 seconds) or business token is
     * still valid. False: connect with Facebook again.
     */
    resumable: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('WhatsappSignup');
export type SignupJson = z.infer<typeof signupSchema>;

export const signupStateSchema = z
  .object({
    /** How the app opens Meta's dialog: Facebook's SDK (live) or the simulator's stand-in page (sandbox); null: not set up. */
    launcher: z
      .object({
        mode: z.enum(['facebook', 'sandbox']),
        app_id: z.string(),
        config_id: z.string(),
        /** FB.init's `version`, the Graph API version the worker speaks. */
        graph_version: z.string(),
        /** The page that stands in for Facebook's popup (sandbox only). */
        dialog_url: z.string().nullable(),
      })
      .nullable(),
    /** The platform admin switched WhatsApp off for this company: connecting is refused until they switch it on. */
    switched_off: z.boolean(),
    /** The company's WABA, if it has one: a further number must be under it. */
    waba_id: z.string().nullable(),
    /** The latest signup (not one a newer one replaced), or null. */
    latest: z.union([signupSchema, z.null()]),
  })
  .openapi('WhatsappSignupState');
export type SignupStateJson = z.infer<typeof signupStateSchema>;

export type SignupStartInput = z.infer<typeof signupStartSchema>;
export type SignupResumeInput = z.infer<typeof signupResumeSchema>;
