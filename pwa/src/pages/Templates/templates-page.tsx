import { AppHeader } from '../app-header';

/** Placeholder: the screen lands with issue 8. */
export function TemplatesPage() {
  return (
    <>
      <AppHeader title="Templates" back="/" />
      <main class="page" />
    </>
  );
}
