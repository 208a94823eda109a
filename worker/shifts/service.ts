// A staff member's shift: the flag round-robin reads (people/round-robin.ts). Users are the platform's directory.
import { and, eq } from 'drizzle-orm';
import { platformDb } from '../db/client';
import { users } from '../db/schema';

export interface ShiftOwner {
  userId: string;
  companyId: string;
}

export async function readShift(env: Env, who: ShiftOwner): Promise<boolean> {
  const row = await platformDb(env)
    .select({ onShift: users.onShift })
    .from(users)
    .where(and(eq(users.id, who.userId), eq(users.companyId, who.companyId)))
    .get();
  return row?.onShift ?? false;
}

/** Sets the flag and answers what is stored. Setting the value it already has changes nothing. */
export async function setShift(env: Env, who: ShiftOwner, onShift: boolean): Promise<boolean> {
  const row = await platformDb(env)
    .update(users)
    .set({ onShift })
    .where(and(eq(users.id, who.userId), eq(users.companyId, who.companyId)))
    .returning({ onShift: users.onShift })
    .get();
  return row?.onShift ?? false;
}
