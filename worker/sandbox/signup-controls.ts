// What tests and people can ask of the simulated Embedded Signup: the dialog's answer, and Meta refusing a step.
import { z } from 'zod';
import { SIGNUP_PIN } from '#common/whatsapp-signup';

/** The Graph calls of a signup, by the step of ours that makes them. */
export const SIGNUP_FAULT_STEPS = ['exchange_code', 'register_number', 'subscribe_app', 'fetch_number'] as const;
export type SignupFaultStep = (typeof SIGNUP_FAULT_STEPS)[number];

/** Meta refuses the step's next call with this error (once, or `times` calls in a row), or does not answer in time. */
export const signupFaultSchema = z.strictObject({
  step: z.enum(SIGNUP_FAULT_STEPS),
  kind: z.enum(['http', 'timeout']).default('http'),
  status: z.number().int().min(400).max(599).default(400),
  code: z.number().int().default(1),
  subcode: z.number().int().optional(),
  title: z.string().min(1).max(200).optional(),
  times: z.number().int().min(1).max(20).optional(),
});
export type SignupFault = z.infer<typeof signupFaultSchema>;

/** The stand-in dialog's choices (POST /sandbox/embedded-signup/session). */
export const signupSessionSchema = z.strictObject({
  /** A new WABA, or a further number under one the simulator handed out before (the company's). */
  waba_id: z
    .string()
    .regex(/^\d{1,32}$/)
    .optional(),
  display_phone_number: z
    .string()
    .regex(/^\+?\d[\d ]{6,20}$/)
    .optional(),
  verified_name: z.string().trim().min(1).max(100).optional(),
  /** The number already has a two-step verification PIN (set in WhatsApp Manager): register must give it. */
  existing_pin: z.string().regex(SIGNUP_PIN).optional(),
  /** Meta misbehaves at this step of the server's work that follows (sandbox play; tests use faults too). */
  fail_step: z.enum(SIGNUP_FAULT_STEPS).optional(),
});
export type SignupSessionInput = z.infer<typeof signupSessionSchema>;
