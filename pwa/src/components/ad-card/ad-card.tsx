// "From ad: <headline>" with the ad's picture: above the message a click-to-WhatsApp ad started (the
// conversation) and on the profile. The picture comes through the worker (lib/api/ads.ts); one that cannot be
// had leaves the card as words only.
import { useState } from 'preact/hooks';
import { type AdReferral, adThumbnailUrl } from '../../lib/api/ads';
import './ad-card.css';

export function AdCard(props: { personId: string; noteId: string; referral: AdReferral; label?: string }) {
  const { referral } = props;
  const [pictureFailed, setPictureFailed] = useState(false);
  const hasPicture = !pictureFailed && Boolean(referral.thumbnail_url ?? referral.image_url);
  const headline = referral.headline ?? (referral.source_type === 'post' ? 'a post' : 'a Meta ad');
  return (
    <aside class="ad-card" data-testid="ad-card" aria-label={`From ad: ${headline}`}>
      {hasPicture && (
        <img
          class="ad-thumb"
          src={adThumbnailUrl(props.personId, props.noteId)}
          alt=""
          width={56}
          height={56}
          loading="lazy"
          referrerpolicy="no-referrer"
          onError={() => setPictureFailed(true)}
        />
      )}
      <div class="ad-text">
        <strong>
          {props.label ?? 'From ad'}: {headline}
        </strong>
        {referral.body && <p class="ad-body">{referral.body}</p>}
        {referral.source_url && (
          <a class="small" href={referral.source_url} target="_blank" rel="noreferrer noopener">
            View the ad
          </a>
        )}
      </div>
    </aside>
  );
}
