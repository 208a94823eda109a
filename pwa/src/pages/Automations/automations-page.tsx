// /automations/*: the automated items of the gym, for managers and admins (the server checks the role too).
import { Route, Router } from 'preact-iso';
import { can } from '../../lib/session';
import { RoleGate } from '../role-gate';
import { AudiencePreviewPage } from './audience-preview-page';
import { AutomationEditPage } from './automation-edit-page';
import { AutomationListPage } from './automation-list-page';
import { RunLogPage } from './run-log-page';
import './automations.css';

export function AutomationsPage() {
  return (
    <RoleGate
      allowed={can('automations')}
      title="Automated items"
      back="/"
      refusal="Automated items are for managers and admins: your role does not allow this. Ask an admin."
    >
      <Router>
        <Route path="/" component={AutomationListPage} />
        <Route path="/new" component={AutomationEditPage} />
        <Route path="/:id/audience" component={AudiencePreviewPage} />
        <Route path="/:id/runs" component={RunLogPage} />
        <Route path="/:id" component={AutomationEditPage} />
      </Router>
    </RoleGate>
  );
}
