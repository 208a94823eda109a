// One ad in the ads report: its picture and headline (through a lead's message from it), and its figures. The
// name opens the inbox filtered by that ad (InboxPage reads ?ad=).
import { type AdReportRow, adThumbnailUrl } from '../../lib/api/ads';

export function AdsRow({ row }: { row: AdReportRow }) {
  return (
    <tr data-testid="ad-row">
      <th scope="row">
        <span class="ad-name">
          {row.sample && (
            <img
              class="ad-thumb small"
              src={adThumbnailUrl(row.sample.person_id, row.sample.note_id)}
              alt=""
              width={32}
              height={32}
              loading="lazy"
              referrerpolicy="no-referrer"
            />
          )}
          <a href={`/?ad=${encodeURIComponent(row.source_id)}`} data-testid="ad-inbox-link">
            {row.headline ?? row.source_id}
            <span class="visually-hidden">: open its chats</span>
          </a>
        </span>
      </th>
      <td>{row.leads}</td>
      <td>{row.replies}</td>
      <td>{row.joined}</td>
    </tr>
  );
}
