// Meta's media rules for what staff send (Cloud API "Supported media types"): which file types each kind of
// media message takes, how large each may be, and where a caption or a file name is allowed. The worker refuses
// an upload by these (422 `invalid_media`, before anything reaches Meta) and the app refuses a file by the same
// words before it uploads anything, so the two can never disagree.
//
// Sizes are decimal megabytes (5 MB = 5,000,000 bytes): Meta writes "5 MB" without saying which, and the
// smaller reading never lets through a file Meta would refuse. It also keeps a 100 MB document, with its
// multipart wrapping, under Cloudflare's 100 MiB request body limit.

export const MEDIA_TYPES = ['image', 'document', 'video', 'audio', 'sticker'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** The types a message may be sent as through the send API (a sticker is uploaded and sent like the others). */
export const SENDABLE_MEDIA_TYPES = MEDIA_TYPES;

const MB = 1_000_000;

export interface MediaRule {
  /** MIME types Meta takes for this kind of message, lower case, without parameters. */
  mimeTypes: readonly string[];
  maxBytes: number;
  /** What a person reads about the rule ("JPEG or PNG, up to 5 MB"). */
  words: string;
  caption: boolean;
  filename: boolean;
}

export const MEDIA_RULES: Record<MediaType, MediaRule> = {
  image: {
    mimeTypes: ['image/jpeg', 'image/png'],
    maxBytes: 5 * MB,
    words: 'JPEG or PNG, up to 5 MB',
    caption: true,
    filename: false,
  },
  document: {
    mimeTypes: [
      'application/pdf',
      'text/plain',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * MB,
    words: 'PDF, Word, Excel, PowerPoint or plain text, up to 100 MB',
    caption: true,
    filename: true,
  },
  // Meta lists video/3gp; browsers and most systems name the same files video/3gpp.
  video: {
    mimeTypes: ['video/mp4', 'video/3gpp', 'video/3gp'],
    maxBytes: 16 * MB,
    words: 'MP4 or 3GPP, up to 16 MB',
    caption: true,
    filename: false,
  },
  // OGG only with the Opus codec (Meta), which is what WhatsApp voice notes are; we cannot look inside the file.
  audio: {
    mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
    maxBytes: 16 * MB,
    words: 'AAC, AMR, MP3, MP4 audio or OGG (Opus), up to 16 MB',
    caption: false,
    filename: false,
  },
  // Animated stickers may be 500 KB (static ones 100 KB): the larger bound, as we cannot tell them apart.
  sticker: {
    mimeTypes: ['image/webp'],
    maxBytes: 500_000,
    words: 'WebP, up to 500 KB',
    caption: false,
    filename: false,
  },
};

/** Meta caps a media caption at 1,024 characters. */
export const CAPTION_MAX = 1024;
/** A document's file name as the person sees it; Meta gives no bound, ours keeps rows small. */
export const FILENAME_MAX = 240;

/** "image/jpeg; charset=x" -> "image/jpeg". */
export const bareMime = (mime: string): string => (mime.split(';')[0] ?? '').trim().toLowerCase();

/** The kind of message a file of this MIME type is sent as, or null when Meta takes it as none. */
export function mediaTypeOf(mime: string): MediaType | null {
  const bare = bareMime(mime);
  return MEDIA_TYPES.find((t) => MEDIA_RULES[t].mimeTypes.includes(bare)) ?? null;
}

/** 1234567 -> "1.2 MB"; decimal units, as the limits are. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < MB) return `${Math.round(bytes / 100) / 10} KB`.replace('.0 ', ' ');
  return `${Math.round(bytes / (MB / 10)) / 10} MB`.replace('.0 ', ' ');
}

const ALL_WORDS = 'a photo (JPEG, PNG), a document (PDF, Word, Excel, PowerPoint, text), a video (MP4, 3GPP) or audio';

/**
 * Why WhatsApp will not take this file, in words, or null when it will. `size` may be unknown (null) while a
 * stream is still arriving: then only the type is judged.
 */
export function mediaRefusal(file: { mime: string; size: number | null; name?: string | null }): string | null {
  const type = mediaTypeOf(file.mime);
  const what = file.name ? `"${file.name}"` : 'This file';
  if (!type) {
    const given = bareMime(file.mime) || 'of no stated type';
    return `${what} cannot go on WhatsApp: it is ${given === 'of no stated type' ? given : `a ${given} file`}. WhatsApp takes ${ALL_WORDS}.`;
  }
  const rule = MEDIA_RULES[type];
  if (file.size !== null && file.size > rule.maxBytes)
    return `${what} is ${formatBytes(file.size)}: too large for WhatsApp, which takes a ${type} as ${rule.words}.`;
  if (file.size === 0) return `${what} is empty.`;
  return null;
}

/** The largest file any kind of media may be: a bound on a whole upload before its parts are read. */
export const MAX_MEDIA_BYTES = Math.max(...MEDIA_TYPES.map((t) => MEDIA_RULES[t].maxBytes));
