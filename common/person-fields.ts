// The person fields a template variable can be filled from, and what the app calls each one. The worker fills
// them (worker/whatsapp/templates/variables.ts) and its API accepts exactly these names; the app's template
// and automated item forms offer them by these labels.

export const PERSON_FIELDS = [
  'first_name',
  'last_name',
  'full_name',
  'phone',
  'email',
  'membership_start',
  'membership_end',
  'date_of_birth',
  'company_name',
] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];

export const isPersonField = (name: string): name is PersonField => (PERSON_FIELDS as readonly string[]).includes(name);

export const PERSON_FIELD_LABELS: Record<PersonField, string> = {
  first_name: 'First name',
  last_name: 'Last name',
  full_name: 'Full name',
  phone: 'Phone number',
  email: 'Email',
  membership_start: 'Membership start date',
  membership_end: 'Membership end date',
  date_of_birth: 'Date of birth',
  company_name: 'Gym name',
};
