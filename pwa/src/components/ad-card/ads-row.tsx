// One ad in the ads report: its picture and headline (through a lead's message from it), and its figures.
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
          <span>{row.headline ?? row.source_id}</span>
        </span>
      </th>
      <td>{row.leads}</td>
      <td>{row.replies}</td>
      <td>{row.joined}</td>
    </tr>
  );
}
