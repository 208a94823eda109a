// Charts in plain SVG: no chart library to download (the Reports chunk stays a few kB), colours from the app's
// CSS variables so dark mode needs nothing, and every figure also in text for screen readers and for reading the
// exact number on a phone.

export interface Series {
  key: string;
  label: string;
  /** A CSS colour, e.g. var(--brand). */
  color: string;
}

/** Columns per day, one per series side by side: messages received and sent. Scrolls sideways past ~45 days. */
export function DayColumns(props: {
  days: readonly ({ date: string } & Record<string, number | string>)[];
  series: readonly Series[];
  title: string;
}) {
  const { days, series } = props;
  const max = Math.max(1, ...days.flatMap((d) => series.map((s) => Number(d[s.key]) || 0)));
  const height = 140;
  // Fill a phone's width (336 px inside the page's padding) and scroll sideways only past ~40 days.
  const slot = Math.max(8, Math.floor(336 / Math.max(1, days.length)));
  const bar = Math.min(16, Math.max(2, Math.floor((slot - 2) / series.length)));
  const gap = Math.max(0, slot - 2 - bar * series.length);
  const width = days.length * slot;
  // Label about 6 days along the axis, whatever the range.
  const every = Math.max(1, Math.ceil(days.length / 6));
  return (
    <figure class="chart" data-testid="chart-days">
      <div class="chart-scroll">
        <svg
          width={Math.max(width, 336)}
          height={height + 22}
          viewBox={`0 0 ${Math.max(width, 336)} ${height + 22}`}
          role="img"
          aria-label={props.title}
        >
          <line x1="0" x2={width} y1={height + 0.5} y2={height + 0.5} class="chart-axis" />
          {days.map((d, i) => (
            <g key={d.date}>
              {series.map((s, j) => {
                const v = Number(d[s.key]) || 0;
                const h = Math.round((v / max) * (height - 16));
                return (
                  <rect
                    key={s.key}
                    x={i * slot + 1 + gap / 2 + j * bar}
                    y={height - h}
                    width={bar - 1}
                    height={h}
                    fill={s.color}
                  >
                    <title>{`${d.date}: ${v} ${s.label.toLowerCase()}`}</title>
                  </rect>
                );
              })}
              {i % every === 0 && (
                <text x={i * slot + 1} y={height + 16} class="chart-label">
                  {new Date(`${d.date}T12:00:00Z`).toLocaleDateString('en-GB', {
                    day: 'numeric',
                    month: 'short',
                    timeZone: 'UTC',
                  })}
                </text>
              )}
            </g>
          ))}
          <text x="2" y="11" class="chart-label">
            {max}
          </text>
        </svg>
      </div>
      <figcaption class="chart-legend">
        {series.map((s) => (
          <span key={s.key}>
            <span class="swatch" style={{ background: s.color }} aria-hidden="true" />
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Horizontal bars with their labels and numbers above each: stages of the funnel, waits per person. */
export function Bars(props: {
  rows: readonly { label: string; value: number; text?: string; color?: string }[];
  title: string;
  testid?: string;
}) {
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  return (
    <ul class="bars" aria-label={props.title} data-testid={props.testid}>
      {props.rows.map((r) => (
        <li key={r.label}>
          <div class="bar-head">
            <span class="bar-label">{r.label}</span>
            <span class="bar-value">{r.text ?? r.value}</span>
          </div>
          <svg class="bar-track" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
            <rect x="0" y="0" width="100" height="6" rx="3" class="bar-bg" />
            <rect x="0" y="0" width={(r.value / max) * 100} height="6" rx="3" fill={r.color ?? 'var(--brand)'} />
          </svg>
        </li>
      ))}
    </ul>
  );
}

/** A share as a ring, with the percentage in words beside it (the ring is decoration). */
export function Ring(props: { share: number | null; label: string }) {
  const r = 15.915; // circumference 100
  const v = props.share === null ? 0 : Math.max(0, Math.min(1, props.share)) * 100;
  return (
    <svg class="ring" viewBox="0 0 36 36" aria-hidden="true">
      <circle cx="18" cy="18" r={r} class="ring-bg" />
      <circle
        cx="18"
        cy="18"
        r={r}
        class="ring-fg"
        stroke-dasharray={`${v} ${100 - v}`}
        stroke-dashoffset="25"
        data-label={props.label}
      />
    </svg>
  );
}
