// One person in a list (the People screen, New chat): who they are, how to reach them, where they stand.
import type { Person } from '../../lib/api/directory';
import { personName } from '../../lib/format';
import { saleTypeLabel, statusLabel } from '../../lib/person-labels';
import './person-row.css';

export function PersonRow({ person, href }: { person: Person; href: string }) {
  const name = personName(person);
  return (
    <li>
      <a class="person-row" href={href} data-testid="person-row" data-person={person.id}>
        <span class="person-avatar" aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span class="person-main">
          <span class="person-name">{name}</span>
          <span class="person-facts muted small">
            {person.phone ?? 'No phone'} · {statusLabel(person.status)} · {saleTypeLabel(person.sale_type)}
          </span>
          <span class="row-chips">
            {!person.has_conversation && <span class="chip chip-closed">Never messaged</span>}
            {person.whatsapp_opted_out && <span class="chip chip-danger">Opted out</span>}
          </span>
        </span>
      </a>
    </li>
  );
}
