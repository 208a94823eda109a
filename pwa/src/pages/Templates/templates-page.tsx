// /templates (list), /templates/new (create), /templates/:id (detail): managers' and admins' screens. The
// server refuses the rest anyway; this says so in words instead of showing a screen that would fail.
import { Route, Router } from 'preact-iso';
import { can } from '../../lib/session';
import { AppHeader } from '../app-header';
import { TemplateDetail } from './template-detail';
import { TemplateForm } from './template-form';
import { TemplatesList } from './templates-list';
import './templates.css';

export function TemplatesPage() {
  if (!can('templates'))
    return (
      <div class="page">
        <AppHeader title="Templates" back="/" />
        <p role="alert" class="center error">
          Only managers and admins manage templates. Ask one of them to add or change a template.
        </p>
      </div>
    );
  return (
    <Router>
      <Route path="/" component={TemplatesList} />
      <Route path="/new" component={TemplateForm} />
      <Route path="/:id" component={TemplateDetail} />
    </Router>
  );
}
