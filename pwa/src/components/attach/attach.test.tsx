import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QuickReply } from '../../lib/api/settings';
import { attachFile, type MediaMessage, OFFLINE_ATTACHMENT } from '../../lib/attachment';
import { Composer } from '../composer/composer';
import { composerMode } from '../composer/composer-mode';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const open = new Date(NOW + 5 * 3_600_000).toISOString();

const jpeg = (size: number, name = 'timetable.jpg') => new File([new Uint8Array(size)], name, { type: 'image/jpeg' });

function renderComposer(onSendMedia: (m: MediaMessage) => Promise<void>, extra: { replies?: QuickReply[] } = {}) {
  return render(
    <Composer
      mode={composerMode({ whatsappEnabled: true, optedOut: false, windowExpiresAt: open, now: NOW })}
      windowExpiresAt={open}
      now={NOW}
      person={{ first_name: 'Sheena', last_name: 'Lead' }}
      templates={[]}
      onSend={vi.fn(async () => undefined)}
      onSendMedia={onSendMedia}
      loadQuickReplies={async () => extra.replies ?? []}
    />,
  );
}

function pick(label: string, file: File) {
  fireEvent.click(screen.getByRole('button', { name: 'Attach a photo or file' }));
  const input = screen.getByLabelText(label) as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  fireEvent.change(input);
}

afterEach(() => {
  Object.defineProperty(navigator, 'onLine', { value: true, configurable: true });
});

describe('attaching a file in the composer', () => {
  it('offers the camera, the library and documents, each limited to what WhatsApp takes', () => {
    renderComposer(vi.fn());
    fireEvent.click(screen.getByRole('button', { name: 'Attach a photo or file' }));
    const camera = screen.getByLabelText('Take a photo') as HTMLInputElement;
    expect(camera.getAttribute('capture')).toBe('environment');
    expect(camera.accept).toBe('image/jpeg,image/png');
    expect((screen.getByLabelText('Photo from library') as HTMLInputElement).getAttribute('capture')).toBeNull();
    expect((screen.getByLabelText('Document (PDF…)') as HTMLInputElement).accept).toContain('application/pdf');
  });

  it('refuses a file WhatsApp will not take, in words, before anything uploads', () => {
    const onSendMedia = vi.fn(async () => undefined);
    renderComposer(onSendMedia);
    pick('Photo from library', jpeg(5_000_001, 'holiday.jpg'));
    expect(screen.getByRole('alert').textContent).toContain('"holiday.jpg" is 5 MB: too large for WhatsApp');
    pick('Document (PDF…)', new File(['x'], 'song.wav', { type: 'audio/wav' }));
    expect(screen.getByRole('alert').textContent).toContain('"song.wav" cannot go on WhatsApp');
    expect(screen.queryByTestId('attachment-preview')).toBeNull();
    expect(onSendMedia).not.toHaveBeenCalled();
  });

  it('sends a photo with its caption, showing the upload progress, then clears', async () => {
    let finish: () => void = () => undefined;
    let progress: (f: number) => void = () => undefined;
    const onSendMedia = vi.fn(
      (m: MediaMessage) =>
        new Promise<void>((resolve) => {
          progress = m.onProgress;
          finish = resolve;
        }),
    );
    renderComposer(onSendMedia);
    pick('Take a photo', jpeg(240_000));
    expect(screen.getByTestId('attachment-preview').textContent).toContain('timetable.jpg');
    expect(screen.getByTestId('attachment-preview').textContent).toContain('240 KB');
    fireEvent.input(screen.getByLabelText('Caption'), { target: { value: 'This month’s classes' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(onSendMedia).toHaveBeenCalledTimes(1));
    expect(onSendMedia.mock.calls[0]?.[0]).toMatchObject({
      attachment: { kind: 'file', type: 'image' },
      caption: 'This month’s classes',
    });
    progress(0.42);
    const bar = (await screen.findByRole('progressbar', { name: 'Uploading timetable.jpg' })) as HTMLProgressElement;
    await waitFor(() => expect(bar.value).toBe(42));
    expect(screen.getByText('Uploading 42%')).toBeTruthy();
    finish();
    await waitFor(() => expect(screen.queryByTestId('attachment-preview')).toBeNull());
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('');
  });

  it('says in words that a file needs a connection, and keeps it to try again', async () => {
    const onSendMedia = vi.fn(async () => undefined);
    renderComposer(onSendMedia);
    pick('Document (PDF…)', new File(['%PDF'], 'prices.pdf', { type: 'application/pdf' }));
    Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('alert')).textContent).toContain(OFFLINE_ATTACHMENT);
    expect(onSendMedia).not.toHaveBeenCalled();
    expect(screen.getByTestId('attachment-preview').textContent).toContain('prices.pdf');
  });

  it('a quick reply with a file brings the file, its text as the caption', async () => {
    const onSendMedia = vi.fn(async (_m: MediaMessage) => undefined);
    const timetable: QuickReply = {
      id: 'q1',
      shortcut: 'timetable',
      text: 'Our classes',
      interactive: null,
      attachment: {
        type: 'document',
        id: '123456789012345',
        link: null,
        filename: 'Timetable.pdf',
        mime_type: 'application/pdf',
        size: 81_000,
        expires_at: null,
        url: '/api/v1/media/123456789012345',
      },
      created_at: '2026-11-01T00:00:00Z',
      updated_at: '2026-11-01T00:00:00Z',
    };
    renderComposer(onSendMedia, { replies: [timetable] });
    fireEvent.input(screen.getByLabelText('Message'), { target: { value: '/time' } });
    fireEvent.click(await screen.findByRole('option', { name: /timetable/ }));
    expect(screen.getByTestId('attachment-preview').textContent).toContain('Timetable.pdf');
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() =>
      expect(onSendMedia.mock.calls[0]?.[0]).toMatchObject({
        attachment: { kind: 'saved', type: 'document', id: '123456789012345', filename: 'Timetable.pdf' },
        caption: 'Our classes',
      }),
    );
  });
});

describe('attachFile', () => {
  it('judges a file without a type by its extension, as the picker did', () => {
    expect(attachFile(new File(['x'], 'Prices.PDF'))).toMatchObject({ kind: 'file', type: 'document' });
    expect(attachFile(new File(['x'], 'notes.exe'))).toMatchObject({ refusal: expect.stringContaining('notes.exe') });
  });
});
