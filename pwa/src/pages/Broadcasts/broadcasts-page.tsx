// /broadcasts/*: the gym's scheduled broadcasts, for managers and admins (the server checks the role too).
import { Route, Router } from 'preact-iso';
import { can } from '../../lib/session';
import { RoleGate } from '../role-gate';
import { BroadcastDetailPage } from './broadcast-detail-page';
import { BroadcastEditPage } from './broadcast-edit-page';
import { BroadcastListPage } from './broadcast-list-page';
import '../Automations/automations.css';
import './broadcasts.css';

export function BroadcastsPage() {
  return (
    <RoleGate
      allowed={can('broadcasts')}
      title="Broadcasts"
      back="/"
      refusal="Broadcasts are for managers and admins: your role does not allow this. Ask an admin."
    >
      <Router>
        <Route path="/" component={BroadcastListPage} />
        <Route path="/new" component={BroadcastEditPage} />
        <Route path="/:id/edit" component={BroadcastEditPage} />
        <Route path="/:id" component={BroadcastDetailPage} />
      </Router>
    </RoleGate>
  );
}
