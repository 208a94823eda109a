// The picture of the ad a person came from, through us: the staff app's pages allow images from their own origin
// only (pwa/public/_headers), and a staff member's browser should not call Meta's CDN with every profile it
// opens. Only the referral's own URL is fetched, and only from Meta's CDN (or the simulator in sandbox mode),
// never any URL a message could name: the referral arrives in a signed webhook, and the host check keeps this
// from being a way to make the worker fetch anything else.
import { exports } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { sandboxEnabled } from '../config';
import { companyDb } from '../db/company-data';
import { historyNotes } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { getPerson, type Reader } from '../people/service';
import { SANDBOX_ORIGIN } from '../whatsapp/meta';
import { referralOf } from './referral';

/** Images a browser may show; an SVG or anything else is refused, so nothing served here can run as a page. */
const IMAGE = /^image\/(jpeg|png|webp|gif)(;|$)/i;
/** Ad thumbnails are small; anything bigger is not one. */
const MAX_BYTES = 2 * 1024 * 1024;
const TIMEOUT_MS = 5_000;

/** Meta serves ad creatives from its CDN: scontent-*.xx.fbcdn.net and the like. */
export function isMetaCdn(url: URL): boolean {
  return url.protocol === 'https:' && (url.hostname === 'fbcdn.net' || url.hostname.endsWith('.fbcdn.net'));
}

function fetcherFor(env: Env, raw: string): ((request: Request) => Promise<Response>) | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (isMetaCdn(url)) return (request) => fetch(request);
  // The simulator plays Meta's CDN in sandbox mode, served by this same worker (like its Graph API).
  if (sandboxEnabled(env) && url.origin === SANDBOX_ORIGIN) return (request) => exports.default.fetch(request);
  return null;
}

/** GET /api/v1/people/{id}/ad-thumbnail/{note_id}: the thumbnail (else image) of that message's ad. */
export async function proxyAdThumbnail(env: Env, who: Reader, personId: string, noteId: string): Promise<Response> {
  const db = companyDb(env, who.companyId);
  await getPerson(db, who, personId);
  const note = await db
    .select({ referral: historyNotes.referral })
    .from(historyNotes)
    .where(
      and(eq(historyNotes.companyId, who.companyId), eq(historyNotes.personId, personId), eq(historyNotes.id, noteId)),
    )
    .get();
  const referral = referralOf(note?.referral);
  const url = referral?.thumbnail_url ?? referral?.image_url;
  if (!url) throw notFound('Ad picture');
  const fetcher = fetcherFor(env, url);
  if (!fetcher) throw new ApiError(404, 'not_found', "Ad picture not on Meta's servers");
  // A redirect is not followed (a 3xx is no picture): the host checked above is the host fetched.
  let res: Response;
  try {
    res = await fetcher(new Request(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' }));
  } catch {
    throw new ApiError(502, 'meta_unavailable', 'Meta did not return the ad picture');
  }
  const type = res.headers.get('Content-Type') ?? '';
  const length = Number(res.headers.get('Content-Length') ?? 0);
  if (!res.ok || !IMAGE.test(type) || length > MAX_BYTES) {
    await res.body?.cancel();
    throw new ApiError(502, 'meta_unavailable', 'Meta did not return the ad picture');
  }
  return new Response(res.body, {
    headers: {
      'Content-Type': type,
      // Private: the ad is the company's; its picture at one URL does not change.
      'Cache-Control': 'private, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  });
}
