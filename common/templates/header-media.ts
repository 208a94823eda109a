// Templates whose HEADER is a photo, a video or a document: which kind of file each format takes, as a sample
// (Meta's Resumable Upload API, at creation) and as the header of each send. One rulebook for the worker (422
// `invalid_media`, before anything reaches Meta) and the staff app's file picker, in the same words.
//
// Meta's header samples follow its media limits (common/media.ts) narrowed to what the Resumable Upload API
// takes: application/pdf, image/jpeg, image/png and video/mp4
// (https://developers.facebook.com/docs/graph-api/guides/upload).
import { bareMime, formatBytes, MEDIA_RULES } from '../media';
import { headerOf, type TemplateComponent } from './components';

export const MEDIA_HEADER_FORMATS = ['IMAGE', 'VIDEO', 'DOCUMENT'] as const;
export type MediaHeaderFormat = (typeof MEDIA_HEADER_FORMATS)[number];
export type HeaderMediaType = 'image' | 'video' | 'document';

/** The message type (and send parameter type) a header format is filled with. */
export const HEADER_MEDIA_TYPE: Record<MediaHeaderFormat, HeaderMediaType> = {
  IMAGE: 'image',
  VIDEO: 'video',
  DOCUMENT: 'document',
};

export interface HeaderSampleRule {
  mimeTypes: readonly string[];
  maxBytes: number;
  /** "a photo": how the person adding it reads the kind of file ("a photo header"). */
  noun: string;
  /** "JPEG or PNG, up to 5 MB". */
  words: string;
}

export const HEADER_SAMPLE_RULES: Record<MediaHeaderFormat, HeaderSampleRule> = {
  IMAGE: {
    mimeTypes: ['image/jpeg', 'image/png'],
    maxBytes: MEDIA_RULES.image.maxBytes,
    noun: 'a photo',
    words: 'JPEG or PNG, up to 5 MB',
  },
  VIDEO: { mimeTypes: ['video/mp4'], maxBytes: MEDIA_RULES.video.maxBytes, noun: 'a video', words: 'MP4, up to 16 MB' },
  DOCUMENT: {
    mimeTypes: ['application/pdf'],
    maxBytes: MEDIA_RULES.document.maxBytes,
    noun: 'a document',
    words: 'PDF, up to 100 MB',
  },
};

/** The template's header format when it is a photo, video or document; null for text, location or none. */
export function mediaHeaderFormat(components: readonly TemplateComponent[]): MediaHeaderFormat | null {
  const format = (headerOf(components)?.format ?? '').toUpperCase();
  return (MEDIA_HEADER_FORMATS as readonly string[]).includes(format) ? (format as MediaHeaderFormat) : null;
}

/**
 * Why this file cannot be the sample (or the header) of a template with this header format, in words; null
 * when it can. `size` null: only the type is judged.
 */
export function headerSampleRefusal(
  format: MediaHeaderFormat,
  file: { mime: string; size: number | null; name?: string | null },
): string | null {
  const rule = HEADER_SAMPLE_RULES[format];
  const what = file.name ? `"${file.name}"` : 'This file';
  const mime = bareMime(file.mime);
  // Browsers name some JPEGs image/jpg; Meta's upload takes both spellings.
  const normal = mime === 'image/jpg' ? 'image/jpeg' : mime;
  const header = `${rule.noun} header`;
  if (!rule.mimeTypes.includes(normal))
    return `${what} is ${mime ? `${/^[aeiou]/.test(mime) ? 'an' : 'a'} ${mime} file` : 'of no stated type'}: ${header} takes ${rule.words}.`;
  if (file.size === 0) return `${what} is empty.`;
  if (file.size !== null && file.size > rule.maxBytes)
    return `${what} is ${formatBytes(file.size)}: too large for ${header}, which takes ${rule.words}.`;
  return null;
}

/**
 * The file a media header is sent with: an upload's Meta media id (POST /api/v1/whatsapp/media) or a public
 * link Meta fetches. `type`, `mime_type`, `size` are what the upload recorded (unknown for a link); a document
 * may carry the file name the person sees.
 */
export interface HeaderMedia {
  id?: string;
  link?: string;
  filename?: string;
  type?: HeaderMediaType;
  mime_type?: string;
  size?: number;
}
