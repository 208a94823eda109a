import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../lib/api/client';
import type { ApiKey } from '../../lib/api/settings';
import * as api from '../../lib/api/settings';
import { ApiKeysPage } from './api-keys-page';

vi.mock('../../lib/api/settings', () => ({
  listApiKeys: vi.fn(),
  createApiKey: vi.fn(),
  revokeApiKey: vi.fn(),
}));

const SECRET = 'cc_live_5f1e2d3c4b5a69788796a5b4c3d2e1f0';
let keys: ApiKey[];

beforeEach(() => {
  keys = [
    { id: 'key_old', name: 'Website', prefix: 'cc_live_aaaa', created_at: '2026-10-01T09:00:00Z', revoked_at: null },
  ];
  vi.mocked(api.listApiKeys).mockImplementation(async () => keys.map((k) => ({ ...k })));
  vi.mocked(api.createApiKey).mockImplementation(async (name) => {
    const row = { id: 'key_new', name, prefix: SECRET.slice(0, 12), created_at: '2026-11-25T12:00:00Z' };
    keys = [{ ...row, revoked_at: null }, ...keys];
    return { ...row, key: SECRET };
  });
  vi.mocked(api.revokeApiKey).mockImplementation(async (id) => {
    keys = keys.map((k) => (k.id === id ? { ...k, revoked_at: '2026-11-25T12:05:00Z' } : k));
    return undefined as never;
  });
});

const keyRow = (name: string) => screen.getAllByTestId('api-key').find((li) => li.textContent?.includes(name));

async function createKey(name: string) {
  render(<ApiKeysPage />);
  await screen.findAllByTestId('api-key');
  fireEvent.input(screen.getByLabelText('Name (what will use it)'), { target: { value: name } });
  fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
  return screen.findByTestId('new-api-key');
}

describe('API keys: the key is shown once', () => {
  it('shows the new key with a warning and a copy button, then forgets it after Done', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const panel = await createKey('CRM');
    expect(api.createApiKey).toHaveBeenCalledWith('CRM');
    expect(panel.textContent).toContain('Copy it now: it is shown only once.');
    expect((within(panel).getByLabelText('API key') as HTMLInputElement).value).toBe(SECRET);
    fireEvent.click(within(panel).getByRole('button', { name: 'Copy key' }));
    await waitFor(() => expect(within(panel).getByRole('status').textContent).toBe('Copied to the clipboard.'));
    expect(writeText).toHaveBeenCalledWith(SECRET);
    // The list now has it, by name and prefix only.
    await waitFor(() => expect(keyRow('CRM')?.textContent).toContain('cc_live_5f1e…'));

    fireEvent.click(screen.getByRole('button', { name: 'Done, I have copied it' }));
    expect(screen.queryByTestId('new-api-key')).toBeNull();
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect([...document.querySelectorAll('input')].map((i) => i.value)).not.toContain(SECRET);
  });

  it('when the browser refuses to copy, says to copy it by hand', async () => {
    const writeText = vi.fn(async () => {
      throw new DOMException('denied', 'NotAllowedError');
    });
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const panel = await createKey('CRM');
    fireEvent.click(within(panel).getByRole('button', { name: 'Copy key' }));
    await waitFor(() =>
      expect(within(panel).getByRole('alert').textContent).toBe(
        'This browser did not let ClubChat copy it: select the key above and copy it by hand.',
      ),
    );
  });

  it('a key needs a name, and a refusal from the server is shown in words', async () => {
    render(<ApiKeysPage />);
    await screen.findAllByTestId('api-key');
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(screen.getByRole('alert').textContent).toBe('Give the key a name, e.g. the system that will use it');
    expect(api.createApiKey).not.toHaveBeenCalled();

    vi.mocked(api.createApiKey).mockRejectedValueOnce(
      new ApiFailure(403, 'forbidden', 'Your role does not allow this; ask an admin'),
    );
    fireEvent.input(screen.getByLabelText('Name (what will use it)'), { target: { value: 'CRM' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe('Your role does not allow this; ask an admin'),
    );
    expect(screen.queryByTestId('new-api-key')).toBeNull();
  });

  it('revoking asks first; Cancel keeps the key, Revoke marks it revoked', async () => {
    render(<ApiKeysPage />);
    await screen.findAllByTestId('api-key');
    fireEvent.click(screen.getByRole('button', { name: 'Revoke Website' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke “Website”?' });
    expect(dialog.textContent).toContain('refused from its next request');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.revokeApiKey).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Revoke Website' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(keyRow('Website')?.textContent).toContain('Revoked'));
    expect(api.revokeApiKey).toHaveBeenCalledWith('key_old');
    expect(screen.queryByRole('button', { name: 'Revoke Website' })).toBeNull();
  });
});
