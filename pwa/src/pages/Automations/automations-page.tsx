// /automations/*: the automated items of the gym, for managers and admins (the server checks the role too).
import { Route, Router } from 'preact-iso';
import { can } from '../../lib/session';
import { AppHeader } from '../app-header';
import { AudiencePreviewPage } from './audience-preview-page';
import { AutomationEditPage } from './automation-edit-page';
import { AutomationListPage } from './automation-list-page';
import { RunLogPage } from './run-log-page';
import './automations.css';

export function AutomationsPage() {
  if (!can('automations'))
    return (
      <div class="page">
        <AppHeader title="Automated items" back="/" />
        <p role="alert" class="error center">
          Automated items are for managers and admins: your role does not allow this. Ask an admin.
        </p>
      </div>
    );
  return (
    <Router>
      <Route path="/" component={AutomationListPage} />
      <Route path="/new" component={AutomationEditPage} />
      <Route path="/:id/audience" component={AudiencePreviewPage} />
      <Route path="/:id/runs" component={RunLogPage} />
      <Route path="/:id" component={AutomationEditPage} />
    </Router>
  );
}
