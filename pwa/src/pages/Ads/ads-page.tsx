// /ads, kept for bookmarks and old links: the ads report is now a tab of Reports (pages/Reports/ads-section.tsx).
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';

export function AdsPage() {
  const { route } = useLocation();
  useEffect(() => route('/reports?tab=ads', true), []);
  return (
    <p class="center muted" aria-busy="true">
      Opening the ads report…
    </p>
  );
}
