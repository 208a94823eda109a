import { AppHeader } from '../app-header';

/** Placeholder: the screen lands with issue 8. */
export function AutomationsPage() {
  return (
    <>
      <AppHeader title="Automated items" back="/" />
      <main class="page" />
    </>
  );
}
