// Stage and label filter for the inbox and People: one chip beside the other filters that names what is chosen,
// and a bottom sheet (thumb's reach at 360 px) of the company's stages and labels to tick. The inbox takes any of
// several of each; People one of each (`multiple={false}`), as its list asks the server.
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Label, listLabels, loadStages, type Stage } from '../../lib/api/pipeline';
import { errorText } from '../../lib/use-load';
import '../dialog/dialog.css';
import '../person-labels/person-labels.css';
import './lead-filter.css';

export interface LeadFilterValue {
  stages: readonly string[];
  labels: readonly string[];
}

export const NO_LEAD_FILTER: LeadFilterValue = { stages: [], labels: [] };

/** Ticks `id` on or off; with one allowed, ticking replaces what was there. */
export function toggled(list: readonly string[], id: string, multiple: boolean): string[] {
  if (list.includes(id)) return list.filter((x) => x !== id);
  return multiple ? [...list, id] : [id];
}

/** The chip's words: what is chosen, by name, shortest first; "Stage & label" when nothing is. */
export function summary(value: LeadFilterValue, stages: readonly Stage[], labels: readonly Label[]): string {
  const names = [
    ...value.stages.map((id) => stages.find((s) => s.id === id)?.name ?? 'a removed stage'),
    ...value.labels.map((id) => labels.find((l) => l.id === id)?.name ?? 'a deleted label'),
  ];
  if (names.length === 0) return 'Stage & label';
  return names.length === 1 ? `${names[0]}` : `${names[0]} +${names.length - 1}`;
}

/** While the sheet is open: focus in it, Escape closes it, and focus goes back to the chip that opened it. */
function useSheetFocus(open: boolean, sheet: RefObject<HTMLDivElement | null>, close: () => void): void {
  useEffect(() => {
    if (!open) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    sheet.current?.querySelector<HTMLElement>('.dialog-actions button')?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, [open]);
}

export function LeadFilter(props: {
  value: LeadFilterValue;
  onChange: (value: LeadFilterValue) => void;
  multiple?: boolean;
}) {
  const multiple = props.multiple ?? true;
  const [open, setOpen] = useState(false);
  const [stages, setStages] = useState<Stage[] | null>(null);
  const [labels, setLabels] = useState<Label[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const chosen = props.value.stages.length + props.value.labels.length;
  // Asked for only once needed (the sheet opens, or the chip names a choice), so an inbox opened with no filter
  // costs no extra request.
  const needed = open || chosen > 0;
  useEffect(() => {
    if (!needed) return;
    let current = true;
    setError(null);
    Promise.all([loadStages(), listLabels()])
      .then(([s, l]) => {
        if (!current) return;
        setStages(s);
        setLabels(l);
      })
      .catch((err: unknown) => current && setError(errorText(err, 'Could not load the stages and labels')));
    return () => {
      current = false;
    };
  }, [round, needed]);

  const sheetRef = useRef<HTMLDivElement>(null);
  useSheetFocus(open, sheetRef, () => setOpen(false));
  const pick = (kind: 'stages' | 'labels', id: string) =>
    props.onChange({ ...props.value, [kind]: toggled(props.value[kind], id, multiple) });

  return (
    <>
      <button
        type="button"
        class="filter lead-filter-chip"
        aria-pressed={chosen > 0}
        aria-haspopup="dialog"
        data-testid="lead-filter"
        onClick={() => setOpen(true)}
      >
        {summary(props.value, stages ?? [], labels ?? [])}
      </button>
      {open && (
        <div class="backdrop">
          <div
            class="dialog lead-filter-sheet"
            role="dialog"
            aria-modal="true"
            aria-labelledby="lead-filter-title"
            ref={sheetRef}
          >
            <div class="dialog-head">
              <h2 id="lead-filter-title">Stage and label</h2>
              {chosen > 0 && (
                <button type="button" class="link" onClick={() => props.onChange(NO_LEAD_FILTER)}>
                  Clear
                </button>
              )}
            </div>
            {error ? (
              <div>
                <p role="alert" class="error">
                  {error}
                </p>
                <button type="button" onClick={() => setRound((r) => r + 1)}>
                  Try again
                </button>
              </div>
            ) : stages === null || labels === null ? (
              <p class="muted" aria-busy="true">
                Loading…
              </p>
            ) : (
              <>
                <fieldset class="lead-filter-group">
                  <legend>{multiple ? 'Stages (any of)' : 'Stage'}</legend>
                  {stages.map((s) => (
                    <button
                      key={s.id}
                      type="button"
                      class="filter"
                      aria-pressed={props.value.stages.includes(s.id)}
                      onClick={() => pick('stages', s.id)}
                    >
                      {s.name}
                    </button>
                  ))}
                </fieldset>
                <fieldset class="lead-filter-group">
                  <legend>{multiple ? 'Labels (any of)' : 'Label'}</legend>
                  {labels.length === 0 ? (
                    <p class="muted">No labels yet: managers add them in Settings → Labels.</p>
                  ) : (
                    labels.map((l) => (
                      <button
                        key={l.id}
                        type="button"
                        class={`filter label-filter label-${l.color}`}
                        aria-pressed={props.value.labels.includes(l.id)}
                        onClick={() => pick('labels', l.id)}
                      >
                        {l.name}
                      </button>
                    ))
                  )}
                </fieldset>
              </>
            )}
            <div class="dialog-actions">
              <button type="button" class="primary" onClick={() => setOpen(false)}>
                Done
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}
