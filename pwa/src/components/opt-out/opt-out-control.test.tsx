import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { OptOutControl } from './opt-out-control';
import { optOutControl } from './opt-out-state';

describe('optOutControl', () => {
  it.each([
    [{ optedOut: false, whatsappEnabled: true }, 'available'],
    [{ optedOut: true, whatsappEnabled: true }, 'opted_out'],
    [{ optedOut: true, whatsappEnabled: false }, 'opted_out'],
    [{ optedOut: false, whatsappEnabled: false }, 'hidden'],
  ] as const)('%o -> %s', (facts, kind) => {
    expect(optOutControl(facts).kind).toBe(kind);
  });
});

describe('OptOutControl', () => {
  it('asks for confirmation, then opts out', async () => {
    const onOptOut = vi.fn(async () => undefined);
    render(<OptOutControl name="Sheena" optedOut={false} whatsappEnabled onOptOut={onOptOut} />);
    fireEvent.click(screen.getByRole('button', { name: 'Opt-Out' }));
    const dialog = screen.getByRole('dialog', { name: 'Opt out of WhatsApp?' });
    expect(dialog.textContent).toContain('only Sheena can opt back in');
    expect(onOptOut).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(onOptOut).toHaveBeenCalledOnce());
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('Cancel and Escape leave the person opted in', () => {
    const onOptOut = vi.fn(async () => undefined);
    render(<OptOutControl name="Sheena" optedOut={false} whatsappEnabled onOptOut={onOptOut} />);
    fireEvent.click(screen.getByRole('button', { name: 'Opt-Out' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Opt-Out' }));
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onOptOut).not.toHaveBeenCalled();
  });

  it('a failed opt-out keeps the dialog open with the reason', async () => {
    render(
      <OptOutControl
        name="Sheena"
        optedOut={false}
        whatsappEnabled
        onOptOut={async () => {
          throw new Error('Cannot reach ClubChat');
        }}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Opt-Out' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Cannot reach ClubChat'));
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('once opted out it changes look and cannot be selected; there is no opt-in button', () => {
    const onOptOut = vi.fn(async () => undefined);
    render(<OptOutControl name="Sheena" optedOut whatsappEnabled onOptOut={onOptOut} />);
    const button = screen.getByRole('button', { name: 'Opted out' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.className).toContain('is-opted-out');
    fireEvent.click(button);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByRole('button', { name: /opt.?in/i })).toBeNull();
  });

  it('WhatsApp off: no opt-out action', () => {
    const { container } = render(
      <OptOutControl name="Sheena" optedOut={false} whatsappEnabled={false} onOptOut={async () => undefined} />,
    );
    expect(container.innerHTML).toBe('');
  });
});
