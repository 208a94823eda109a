// A person's ads on their profile: the one that brought them, and the latest when they came from another since.
import type { LeadSource } from '../../lib/api/ads';
import { AdCard } from './ad-card';

export function LeadSourceCards(props: {
  personId: string;
  source: { first: LeadSource | null; latest: LeadSource | null };
}) {
  const { first, latest } = props.source;
  if (!first) return null;
  const another = latest && latest.note_id !== first.note_id ? latest : null;
  return (
    <section class="lead-sources" aria-label="Lead source">
      <AdCard personId={props.personId} noteId={first.note_id} referral={first} />
      {another && <AdCard personId={props.personId} noteId={another.note_id} referral={another} label="Latest ad" />}
    </section>
  );
}
