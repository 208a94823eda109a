// The one way a screen refuses a role: what it may not do is said in words under the screen's header, instead
// of a screen whose every call would fail (the server refuses them anyway).
import type { ComponentChildren } from 'preact';
import { AppHeader } from './app-header';

export interface RoleGateProps {
  /** The role's permission for this screen (lib/session.ts, `can`). */
  allowed: boolean;
  title: string;
  back: string;
  /** Who may, in words: the page's own refusal. */
  refusal: string;
  children: ComponentChildren;
}

export function RoleGate({ allowed, title, back, refusal, children }: RoleGateProps) {
  if (allowed) return <>{children}</>;
  return (
    <div class="page">
      <AppHeader title={title} back={back} />
      <p role="alert" class="error center">
        {refusal}
      </p>
    </div>
  );
}
