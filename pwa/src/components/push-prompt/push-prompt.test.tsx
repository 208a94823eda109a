import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as push from '../../lib/push-subscription';
import { PushPrompt } from './push-prompt';

// The browser half (permission, PushManager) is real Chromium's job (e2e/settings.e2e.ts); here, when the banner
// shows and what its buttons do.
vi.mock('../../lib/push-subscription', async () => {
  const { signal } = await import('@preact/signals');
  const promptDismissed = signal(false);
  return {
    pushState: signal<string | undefined>('off'),
    promptDismissed,
    repliedOnce: signal(true),
    dismissPushPrompt: vi.fn(() => {
      promptDismissed.value = true;
    }),
    enablePush: vi.fn(),
    resyncPush: vi.fn(async () => undefined),
  };
});

beforeEach(() => {
  push.pushState.value = 'off';
  push.promptDismissed.value = false;
  push.repliedOnce.value = true;
  vi.mocked(push.enablePush).mockReset();
});

const banner = () => screen.queryByRole('region', { name: 'Get notified of new messages' });

describe('the inbox notifications banner', () => {
  it('waits for the first reply from this device, and for notifications to be off', () => {
    push.repliedOnce.value = false;
    const view = render(<PushPrompt userId="usr_1" />);
    expect(banner()).toBeNull();
    push.repliedOnce.value = true;
    view.rerender(<PushPrompt userId="usr_1" />);
    expect(banner()).not.toBeNull();
    for (const state of ['on', 'blocked', 'unsupported'] as const) {
      push.pushState.value = state;
      view.rerender(<PushPrompt userId="usr_1" />);
      expect(banner()).toBeNull();
    }
  });

  it('"Not now" hides it for good', () => {
    render(<PushPrompt userId="usr_1" />);
    fireEvent.click(screen.getByRole('button', { name: 'Not now' }));
    expect(push.dismissPushPrompt).toHaveBeenCalled();
    expect(banner()).toBeNull();
  });

  it('"Turn on" asks the browser; a refusal is shown in words and the banner stays', async () => {
    vi.mocked(push.enablePush).mockRejectedValueOnce(
      new Error("Notifications are blocked for ClubChat: allow them in the browser's site settings, then try again"),
    );
    render(<PushPrompt userId="usr_1" />);
    fireEvent.click(screen.getByRole('button', { name: 'Turn on notifications' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        "Notifications are blocked for ClubChat: allow them in the browser's site settings, then try again",
      ),
    );
    expect(push.enablePush).toHaveBeenCalledTimes(1);
    expect(banner()).not.toBeNull();
  });
});
