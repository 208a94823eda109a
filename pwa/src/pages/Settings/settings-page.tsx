// Settings: the connection and this device's notifications on the first screen, then one screen per area,
// each shown only to the roles that may use it (the server refuses the rest anyway). /settings/<section>.
import type { ComponentType } from 'preact';
import { useRoute } from 'preact-iso';
import { can } from '../../lib/session';
import { AppHeader } from '../app-header';
import { RoleGate } from '../role-gate';
import { ApiKeysPage } from './api-keys-page';
import { AuditLogPage } from './audit-log-page';
import { ClubsPage } from './clubs-page';
import { ConnectionCard } from './connection-card';
import { ConversionsPage } from './conversions-page';
import { FrequencyCapPage } from './frequency-cap-page';
import { LabelsPage } from './labels-page';
import { NotificationsCard } from './notifications-card';
import { PipelinePage } from './pipeline-page';
import { QuickRepliesPage } from './quick-replies-page';
import { UsagePage } from './usage-page';
import { UsersPage } from './users-page';
import { WhatsappSignupPage } from './whatsapp-signup-page';
import './settings.css';

interface Section {
  path: string;
  title: string;
  hint: string;
  allowed: () => boolean;
  page: ComponentType;
}

const SECTIONS: Section[] = [
  {
    path: 'whatsapp',
    title: 'WhatsApp connection',
    hint: 'Connect the gym’s number with Facebook',
    allowed: () => can('whatsapp_connect'),
    page: WhatsappSignupPage,
  },
  {
    path: 'clubs',
    title: 'Clubs',
    hint: 'Your sites, their WhatsApp numbers and how leads are assigned',
    allowed: () => true,
    page: ClubsPage,
  },
  {
    path: 'pipeline',
    title: 'Pipeline',
    hint: 'Lead stages, in order, and which count as won or lost',
    allowed: () => true,
    page: PipelinePage,
  },
  {
    path: 'labels',
    title: 'Labels',
    hint: 'Coloured tags for people, e.g. “Student”',
    allowed: () => true,
    page: LabelsPage,
  },
  {
    path: 'quick-replies',
    title: 'Quick replies',
    hint: 'Saved answers, typed with “/” in a chat',
    allowed: () => true,
    page: QuickRepliesPage,
  },
  {
    path: 'usage',
    title: 'Usage this month',
    hint: 'WhatsApp messages by billing category',
    allowed: () => can('templates'),
    page: UsagePage,
  },
  { path: 'users', title: 'Users', hint: 'Staff logins and their roles', allowed: () => can('users'), page: UsersPage },
  {
    path: 'frequency-cap',
    title: 'Marketing frequency cap',
    hint: 'How many marketing templates one person may get, and in how many days',
    allowed: () => can('frequency_cap'),
    page: FrequencyCapPage,
  },
  {
    path: 'conversions',
    title: 'Meta Conversions API',
    hint: 'Report leads and joins from your ads to Meta',
    allowed: () => can('conversions'),
    page: ConversionsPage,
  },
  {
    path: 'api-keys',
    title: 'API keys',
    hint: 'For your CRM or website to use ClubChat',
    allowed: () => can('api_keys'),
    page: ApiKeysPage,
  },
  {
    path: 'audit-log',
    title: 'Audit log',
    hint: 'Who changed consent, templates, users and keys, and from where',
    allowed: () => can('audit'),
    page: AuditLogPage,
  },
];

function SettingsHome() {
  return (
    <div class="page">
      <AppHeader title="Settings" back="/" />
      <main class="settings-main">
        <ConnectionCard />
        <NotificationsCard />
        <nav class="card" aria-label="More settings">
          <ul class="settings-links">
            {SECTIONS.filter((s) => s.allowed()).map((s) => (
              <li key={s.path}>
                <a href={`/settings/${s.path}`}>
                  <span>
                    {s.title}
                    <span class="muted">{s.hint}</span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </main>
    </div>
  );
}

export function SettingsPage() {
  const { params } = useRoute();
  if (!params.section) return <SettingsHome />;
  const section = SECTIONS.find((s) => s.path === params.section);
  if (!section)
    return (
      <div class="page">
        <AppHeader title="Settings" back="/settings" />
        <p class="center muted" role="status">
          There is no such setting.
        </p>
      </div>
    );
  const Page = section.page;
  return (
    <RoleGate
      allowed={section.allowed()}
      title="Settings"
      back="/settings"
      refusal="Your role does not allow this; ask an admin."
    >
      <Page />
    </RoleGate>
  );
}
