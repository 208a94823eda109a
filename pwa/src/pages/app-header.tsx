import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { OfflineNotice } from '../components/offline-notice/offline-notice';
import { ShiftToggle } from '../components/shift-toggle/shift-toggle';
import { liveState } from '../lib/live';
import { can, me, signOut } from '../lib/session';

type HeaderProps = { title: string; back?: string; children?: ComponentChildren };

/** The top bar, and under it the offline notice when what the page shows may be saved, not live. */
export function AppHeader(props: HeaderProps) {
  return (
    <>
      <HeaderBar {...props} />
      <OfflineNotice />
    </>
  );
}

/** The top bar: a back link on inner pages, the title, the live state and the menu. */
function HeaderBar(props: HeaderProps) {
  const [open, setOpen] = useState(false);
  const state = liveState.value;
  return (
    <header class="app-header">
      {props.back && (
        <a class="icon" href={props.back} aria-label="Back">
          ←
        </a>
      )}
      <h1 class="app-title">{props.title}</h1>
      <span class={`live live-${state}`} role="status" aria-label={`Live updates: ${state}`} title={state} />
      {props.children}
      <div class="menu">
        <button type="button" class="icon" aria-label="Menu" aria-expanded={open} onClick={() => setOpen(!open)}>
          ⋮
        </button>
        {open && (
          <ul class="menu-list">
            <li class="muted small">
              {me.value?.user.name} · {me.value?.company.name}
            </li>
            {can('take_leads') && <ShiftToggle />}
            <li>
              <a href="/">Chats</a>
            </li>
            <li>
              <a href="/people">People</a>
            </li>
            <li>
              <a href="/reports">Reports</a>
            </li>
            {can('templates') && (
              <li>
                <a href="/templates">Templates</a>
              </li>
            )}
            {can('automations') && (
              <li>
                <a href="/automations">Automated items</a>
              </li>
            )}
            {can('broadcasts') && (
              <li>
                <a href="/broadcasts">Broadcasts</a>
              </li>
            )}
            {can('ad_reports') && (
              <li>
                <a href="/reports?tab=ads">Ads</a>
              </li>
            )}
            <li>
              <a href="/settings">Settings</a>
            </li>
            {me.value?.sandbox && (
              <li>
                <a href="/sandbox">Sandbox: play the customer</a>
              </li>
            )}
            <li>
              <button type="button" class="link" onClick={() => void signOut()}>
                Log out
              </button>
            </li>
          </ul>
        )}
      </div>
    </header>
  );
}
