// The people directory's calls: the People screen and New chat (list, find by number, add a lead).
import { client, unwrap } from './client';
import { MIN_SEARCH } from './inbox';
import type { components, operations } from './schema';

type Schemas = components['schemas'];
export type Person = Schemas['Person'];
export type PersonStatus = Person['status'];
export type SaleType = Person['sale_type'];
export type ConsentInput = Schemas['WhatsappConsent'];

export interface PeopleFilters {
  q?: string;
  status?: PersonStatus;
  sale_type?: SaleType;
  never_messaged?: boolean;
  /** One club's people (a club id). */
  club?: string;
  /** People the logged-in user owns, or nobody owns. */
  owner?: 'me' | 'none';
  /** People in this stage, wearing this label (ids). */
  stage?: string;
  label?: string;
  /** People who came from any click-to-WhatsApp ad, or from one ad (Meta's ad id). */
  source?: 'ad';
  ad?: string;
}

type ListQuery = NonNullable<operations['peopleList']['parameters']['query']>;

/** A page of people, newest first; `cursor` (the page before's `next_cursor`) for the ones after it. */
export function listPeople(f: PeopleFilters, cursor?: string, perPage = 50) {
  const q = f.q?.trim();
  const query: ListQuery = {
    per_page: perPage,
    ...(q && q.length >= MIN_SEARCH ? { q } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.sale_type ? { sale_type: f.sale_type } : {}),
    ...(f.never_messaged ? { never_messaged: 'true' as const } : {}),
    ...(f.club ? { club: f.club } : {}),
    ...(f.owner ? { owner: f.owner } : {}),
    ...(f.stage ? { stage: f.stage } : {}),
    ...(f.label ? { label: f.label } : {}),
    ...(f.source ? { source: f.source } : {}),
    ...(f.ad ? { ad: f.ad } : {}),
    ...(cursor ? { cursor } : {}),
  };
  return unwrap(client.GET('/api/v1/people', { params: { query } }));
}

/** The person with this number, in any spelling the server reads (its country for national numbers), or null. */
export async function findByPhone(phone: string): Promise<Person | null> {
  const page = await unwrap(client.GET('/api/v1/people', { params: { query: { phone, per_page: 1 } } }));
  return page.collection[0] ?? null;
}

export interface NewLead {
  first_name: string;
  last_name?: string;
  phone: string;
  sale_type: SaleType;
  whatsapp_consent?: ConsentInput;
}

/** A lead, recorded as added by the logged-in staff member. */
export const createLead = (lead: NewLead): Promise<Person> =>
  unwrap(client.POST('/api/v1/people', { body: { ...lead, status: 'lead' } }));
