// What an owner change says in the person's history ("Assigned to Sam by Alex"): one wording for every path that
// sets an owner (owner.ts, a salesperson's new person in service.ts).

export interface OwnerRef {
  id: string;
  name: string;
}

export function ownerNoteText(to: OwnerRef | null, from: OwnerRef | null, by: string): string {
  return to ? `Assigned to ${to.name} by ${by}` : `Unassigned from ${from?.name ?? 'nobody'} by ${by}`;
}
