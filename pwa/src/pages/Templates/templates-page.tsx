// /templates (list), /templates/new (create), /templates/:id (detail): managers' and admins' screens. The
// server refuses the rest anyway; this says so in words instead of showing a screen that would fail.
import { Route, Router } from 'preact-iso';
import { can } from '../../lib/session';
import { RoleGate } from '../role-gate';
import { TemplateDetail } from './template-detail';
import { TemplateForm } from './template-form';
import { TemplatesList } from './templates-list';
import './templates.css';

export function TemplatesPage() {
  return (
    <RoleGate
      allowed={can('templates')}
      title="Templates"
      back="/"
      refusal="Only managers and admins manage templates. Ask one of them to add or change a template."
    >
      <Router>
        <Route path="/" component={TemplatesList} />
        <Route path="/new" component={TemplateForm} />
        <Route path="/:id" component={TemplateDetail} />
      </Router>
    </RoleGate>
  );
}
