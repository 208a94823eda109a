// A file the composer is about to send: one picked on this device (uploaded when sent), or a quick reply's saved
// file (already at Meta, or a link). Meta's rules are the worker's own (#common/media): a file they refuse is
// named in words here, before a byte is uploaded.
import { MEDIA_RULES, type MediaType, mediaRefusal, mediaTypeOf } from '#common/media';

export type Attachment =
  | { kind: 'file'; type: MediaType; file: File }
  | {
      kind: 'saved';
      type: MediaType;
      id: string | null;
      link: string | null;
      filename: string | null;
      size: number | null;
      url: string;
    };

export interface MediaMessage {
  attachment: Attachment;
  caption?: string;
  /** 0 to 1 while the file uploads. */
  onProgress: (fraction: number) => void;
}

/** The picker's `accept` lists: Meta's types for photos, and for documents (by type and by extension). */
export const PHOTO_ACCEPT = MEDIA_RULES.image.mimeTypes.join(',');
export const DOCUMENT_ACCEPT = [
  ...MEDIA_RULES.document.mimeTypes,
  '.pdf',
  '.doc',
  '.docx',
  '.xls',
  '.xlsx',
  '.ppt',
  '.pptx',
  '.txt',
].join(',');

/**
 * Some systems give no type for a file (or a generic one): judge those by their extension, as the picker did.
 * The upload then says the same type, so the server judges the same thing.
 */
const BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

function typedFile(file: File): File {
  if (file.type && file.type !== 'application/octet-stream') return file;
  const guess = BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''];
  return guess ? new File([file], file.name, { type: guess, lastModified: file.lastModified }) : file;
}

/** The file ready to send, or why WhatsApp will not take it, in words. */
export function attachFile(picked: File): Attachment | { refusal: string } {
  const file = typedFile(picked);
  const refusal = mediaRefusal({ mime: file.type, size: file.size, name: file.name });
  const type = mediaTypeOf(file.type);
  if (refusal || !type) return { refusal: refusal ?? `"${file.name}" cannot go on WhatsApp.` };
  return { kind: 'file', type, file };
}

export const attachmentName = (a: Attachment): string =>
  a.kind === 'file' ? a.file.name : (a.filename ?? (a.type === 'image' ? 'Photo' : 'File'));

export const attachmentSize = (a: Attachment): number | null => (a.kind === 'file' ? a.file.size : a.size);

/** Said when a file is to be sent while offline: the outbox keeps text only. */
export const OFFLINE_ATTACHMENT =
  'Photos and files need a connection: this one was not sent and is not kept to send later. Try again when you are back online.';
