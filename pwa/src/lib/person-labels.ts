// A person's status and sale type in words, as the profile and the lists show them.
import type { Person, PersonStatus, SaleType } from './api/directory';

const STATUS: Record<PersonStatus, string> = { lead: 'Lead', member: 'Member', former_member: 'Former member' };
const SALE_TYPE: Record<SaleType, string> = { membership: 'Membership', secondary: 'Secondary Sales' };

export const statusLabel = (s: PersonStatus): string => STATUS[s];
export const saleTypeLabel = (s: SaleType): string => SALE_TYPE[s];

/** Who added the person, after "Added … by": a staff member's name, an API key, their first message. */
export function addedBy(creator: NonNullable<Person['created_by']>): string {
  if (creator.kind === 'api_key') return `the API key "${creator.name}"`;
  if (creator.kind === 'whatsapp') return 'their first WhatsApp message';
  return creator.name;
}
