import type { Me } from '../api/session';
import type { Owner } from './store';

/** The outbox belongs to one staff member of one company: the only session that may send what it holds. */
export const ownerOf = (user: Me | null | undefined): Owner | null =>
  user ? { companyId: user.company.id, userId: user.user.id } : null;
