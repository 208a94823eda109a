import { timeZoneWords } from '../../components/automation-sentence/sentence';

/** "26 Nov, 09:00 London time": when something happened, on the gym's clock rather than this phone's. */
export function zonedTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
  return `${text} ${timeZoneWords(timeZone)}`;
}
