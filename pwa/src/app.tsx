import { useEffect } from 'preact/hooks';
import { ErrorBoundary, LocationProvider, lazy, Route, Router } from 'preact-iso';
import { loadSession, me, sessionError } from './lib/session';
import { applyUpdate, updateWaiting } from './lib/use-sw-update';
import { InboxPage } from './pages/Inbox/inbox-page';
import { LoginPage } from './pages/Login/login-page';

// The inbox is the first screen; the rest load when first opened, keeping the initial download small.
const ConversationPage = lazy(() => import('./pages/Conversation/conversation-page').then((m) => m.ConversationPage));
const ProfilePage = lazy(() => import('./pages/Profile/profile-page').then((m) => m.ProfilePage));
const PeoplePage = lazy(() => import('./pages/People/people-page').then((m) => m.PeoplePage));
const TemplatesPage = lazy(() => import('./pages/Templates/templates-page').then((m) => m.TemplatesPage));
const AutomationsPage = lazy(() => import('./pages/Automations/automations-page').then((m) => m.AutomationsPage));
const SettingsPage = lazy(() => import('./pages/Settings/settings-page').then((m) => m.SettingsPage));
const ReportsPage = lazy(() => import('./pages/Reports/reports-page').then((m) => m.ReportsPage));
const AdsPage = lazy(() => import('./pages/Ads/ads-page').then((m) => m.AdsPage));
const SandboxPage = lazy(() => import('./pages/Sandbox/sandbox-page').then((m) => m.SandboxPage));

function NotFound() {
  return (
    <main class="page center">
      <h1>Page not found</h1>
      <a href="/">Back to the inbox</a>
    </main>
  );
}

function UpdatePrompt() {
  if (!updateWaiting.value) return null;
  return (
    <div class="toast" role="status">
      A new version of ClubChat is ready.
      <button type="button" class="primary" onClick={applyUpdate}>
        Reload
      </button>
    </div>
  );
}

function Gate() {
  useEffect(() => {
    void loadSession();
  }, []);
  if (sessionError.value)
    return (
      <main class="page center">
        <p role="alert" class="error">
          {sessionError.value}
        </p>
        <button type="button" onClick={() => void loadSession()}>
          Try again
        </button>
      </main>
    );
  if (me.value === undefined)
    return (
      <main class="page center" aria-busy="true">
        <p class="muted">Loading…</p>
      </main>
    );
  if (me.value === null) return <LoginPage />;
  return (
    <Router>
      <Route path="/" component={InboxPage} />
      <Route path="/c/:id" component={ConversationPage} />
      <Route path="/people" component={PeoplePage} />
      <Route path="/people/:id" component={ProfilePage} />
      {/* preact-iso's "/x/*" does not match "/x" itself, so each bare list path has its own route. */}
      <Route path="/templates" component={TemplatesPage} />
      <Route path="/templates/*" component={TemplatesPage} />
      <Route path="/automations" component={AutomationsPage} />
      <Route path="/automations/*" component={AutomationsPage} />
      <Route path="/settings/:section?" component={SettingsPage} />
      <Route path="/reports" component={ReportsPage} />
      <Route path="/sandbox" component={SandboxPage} />
      <Route path="/ads" component={AdsPage} />
      <Route default component={NotFound} />
    </Router>
  );
}

export function App() {
  return (
    <LocationProvider>
      <ErrorBoundary>
        <Gate />
      </ErrorBoundary>
      <UpdatePrompt />
    </LocationProvider>
  );
}
