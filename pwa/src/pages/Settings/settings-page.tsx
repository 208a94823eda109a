import { AppHeader } from '../app-header';

/** Placeholder: the screen lands with issue 8. */
export function SettingsPage() {
  return (
    <>
      <AppHeader title="Settings" back="/" />
      <main class="page" />
    </>
  );
}
