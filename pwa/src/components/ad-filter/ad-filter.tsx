// "Any source", "From ads", or one ad, for the inbox, the People screen and the audiences of broadcasts and automated
// items. The ads listed are the last 90 days' (the ads report), for those who may read it; everyone else picks
// "From ads". An ad chosen before (a link from Reports, a saved audience) stays listed even if older.
import { useEffect, useId, useState } from 'preact/hooks';
import { type AdReportRow, adsReport } from '../../lib/api/ads';
import { can } from '../../lib/session';
import type { AdChoice } from './ad-choice';

export type { AdChoice } from './ad-choice';

const DAY_MS = 24 * 60 * 60 * 1000;

export function AdFilter(props: {
  value: AdChoice;
  onChange: (choice: AdChoice) => void;
  /** A visible label (in a form); without it the select is a compact filter labelled for screen readers. */
  label?: string;
}) {
  const [ads, setAds] = useState<AdReportRow[]>([]);
  const mayList = can('ad_reports');
  useEffect(() => {
    if (!mayList) return;
    let stale = false;
    adsReport({ from: new Date(Date.now() - 90 * DAY_MS).toISOString() })
      .then((report) => !stale && setAds(report.collection))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [mayList]);
  const current = props.value.ad ? `ad:${props.value.ad}` : props.value.source === 'ad' ? 'any' : '';
  const chosenUnlisted = props.value.ad && !ads.some((a) => a.source_id === props.value.ad) ? props.value.ad : null;
  const id = useId();
  const select = (
    <select
      id={id}
      value={current}
      data-testid="ad-filter"
      onChange={(e) => {
        const v = e.currentTarget.value;
        props.onChange(v === 'any' ? { source: 'ad' } : v.startsWith('ad:') ? { ad: v.slice(3) } : {});
      }}
    >
      <option value="">Any source</option>
      <option value="any">From ads</option>
      {chosenUnlisted && <option value={`ad:${chosenUnlisted}`}>Ad: {chosenUnlisted}</option>}
      {ads.map((a) => (
        <option key={a.source_id} value={`ad:${a.source_id}`}>
          Ad: {a.headline ?? a.source_id}
        </option>
      ))}
    </select>
  );
  // In a form the label stands beside the select, not around it: a label wrapped around a select has the options'
  // words in its text ("From ads"), which a search by label text (our browser tests') takes for the form's "From".
  if (props.label)
    return (
      <div class="labelled">
        <label for={id}>{props.label}</label>
        {select}
      </div>
    );
  return (
    <label class="club-filter" for={id}>
      <span class="visually-hidden">Source</span>
      {select}
    </label>
  );
}
