// Embedded Signup (Settings > WhatsApp, admins): the launcher and latest signup, start with the dialog's answer,
// resume a failed one. Typed from the worker's OpenAPI document like the rest (client.ts).

import { client, unwrap } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type SignupState = Schemas['WhatsappSignupState'];
export type SignupLauncher = NonNullable<SignupState['launcher']>;
export type Signup = NonNullable<Schemas['WhatsappSignup']>;
export type SignupStart = Schemas['WhatsappSignupStart'];

export const getSignupState = () => unwrap(client.GET('/api/v1/whatsapp/signups'));

export const startSignup = (body: SignupStart) => unwrap(client.POST('/api/v1/whatsapp/signups', { body }));

export const resumeSignup = (id: string, pin?: string) =>
  unwrap(
    client.POST('/api/v1/whatsapp/signups/{id}/resume', {
      params: { path: { id } },
      body: pin ? { pin } : {},
    }),
  );
