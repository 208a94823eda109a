// Reports: how fast leads get an answer, messages per day, the funnel, templates and automated items. Managers
// and admins pick a club and a salesperson; staff see their own figures (the server decides that too). Loaded
// with its route only (app.tsx), so the inbox's first load does not carry it.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ClubFilter } from '../../components/club-filter/club-filter';
import { useOwners } from '../../components/owner/owner-control';
import type { ReportQuery } from '../../lib/api/reports';
import { can, me } from '../../lib/session';
import { useClubs } from '../../lib/use-clubs';
import { AppHeader } from '../app-header';
import { AdsSection } from './ads-section';
import { ConversationsSection } from './conversations-section';
import { FunnelSection } from './funnel-section';
import { PRESETS, type Preset, presetRange, type Range, rangeLabel } from './report-range';
import { SpeedSection } from './speed-section';
import { TemplatesSection } from './templates-section';
import './reports.css';

const TABS = [
  { key: 'speed', label: 'Speed' },
  { key: 'messages', label: 'Messages' },
  { key: 'funnel', label: 'Funnel' },
  { key: 'templates', label: 'Templates' },
  { key: 'ads', label: 'Ads' },
] as const;
type Tab = (typeof TABS)[number]['key'];

/** The tabs this role may open: the ads report is for managers and admins (ad_reports). */
const tabsFor = () => TABS.filter((t) => t.key !== 'ads' || can('ad_reports'));

function RangePicker(props: {
  range: Range;
  preset: Preset | 'custom';
  onChange: (p: Preset | 'custom', r: Range) => void;
}) {
  const timeZone = me.value?.company.timezone ?? 'UTC';
  return (
    <div class="report-range">
      <fieldset class="segmented" aria-label="Range">
        {PRESETS.map((days) => (
          <button
            key={days}
            type="button"
            aria-pressed={props.preset === days}
            onClick={() => props.onChange(days, presetRange(days, Date.now(), timeZone))}
          >
            {days} days
          </button>
        ))}
        <button
          type="button"
          aria-pressed={props.preset === 'custom'}
          onClick={() => props.onChange('custom', props.range)}
        >
          Custom
        </button>
      </fieldset>
      {props.preset === 'custom' && (
        <div class="report-dates">
          <label>
            From
            <input
              type="date"
              value={props.range.from}
              max={props.range.to}
              onChange={(e) =>
                e.currentTarget.value && props.onChange('custom', { ...props.range, from: e.currentTarget.value })
              }
            />
          </label>
          <label>
            To
            <input
              type="date"
              value={props.range.to}
              min={props.range.from}
              onChange={(e) =>
                e.currentTarget.value && props.onChange('custom', { ...props.range, to: e.currentTarget.value })
              }
            />
          </label>
        </div>
      )}
    </div>
  );
}

function UserPicker(props: { value: string | undefined; onChange: (id: string | undefined) => void }) {
  const owners = useOwners();
  if (!owners || owners.length === 0) return null;
  return (
    <label class="club-filter">
      <span class="visually-hidden">Salesperson</span>
      <select
        value={props.value ?? ''}
        data-testid="user-filter"
        onChange={(e) => props.onChange(e.currentTarget.value || undefined)}
      >
        <option value="">Everyone</option>
        {owners.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ReportsPage() {
  const timeZone = me.value?.company.timezone ?? 'UTC';
  const everyone = can('reports');
  const clubs = useClubs();
  const [preset, setPreset] = useState<Preset | 'custom'>(30);
  const [range, setRange] = useState<Range>(() => presetRange(30, Date.now(), timeZone));
  const [club, setClub] = useState<string | undefined>(undefined);
  const [user, setUser] = useState<string | undefined>(undefined);
  // ?tab= opens one tab directly (/ads sends people to ?tab=ads).
  const { query: urlQuery } = useLocation();
  const [tab, setTab] = useState<Tab>(() => tabsFor().find((t) => t.key === urlQuery.tab)?.key ?? 'speed');
  const query: ReportQuery = { ...range, ...(club ? { club } : {}), ...(everyone && user ? { user } : {}) };
  const key = JSON.stringify(query);

  return (
    <div class="page">
      <AppHeader title="Reports" />
      <main class="reports-main">
        <RangePicker
          range={range}
          preset={preset}
          onChange={(p, r) => {
            setPreset(p);
            setRange(r);
          }}
        />
        <div class="report-filters">
          <ClubFilter clubs={clubs} value={club} onChange={setClub} />
          {everyone && <UserPicker value={user} onChange={setUser} />}
        </div>
        <p class="muted small report-scope" data-testid="report-scope">
          {rangeLabel(range)} · {timeZone} time · {everyone ? (user ? 'one person' : 'everyone') : 'your own figures'}
        </p>
        <div class="tabs" role="tablist" aria-label="Reports">
          {tabsFor().map((t) => (
            <button
              key={t.key}
              type="button"
              role="tab"
              id={`tab-${t.key}`}
              aria-selected={tab === t.key}
              aria-controls="report-panel"
              onClick={() => setTab(t.key)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <section id="report-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} class="report-panel">
          {tab === 'speed' && <SpeedSection query={query} queryKey={key} />}
          {tab === 'messages' && <ConversationsSection query={query} queryKey={key} />}
          {tab === 'funnel' && <FunnelSection query={query} queryKey={key} />}
          {tab === 'templates' && <TemplatesSection query={query} queryKey={key} />}
          {tab === 'ads' && <AdsSection query={query} queryKey={key} timeZone={timeZone} />}
        </section>
      </main>
    </div>
  );
}
