// Stage and label names by id, for screens that read an automated item back in words (its stage_changed trigger,
// its audience's stages and labels). Empty until loaded, or if they cannot be: the sentence then says "a stage".
import { useEffect, useState } from 'preact/hooks';
import { listLabels, loadStages } from './api/pipeline';

export interface LeadNames {
  stageNames: Readonly<Record<string, string>>;
  labelNames: Readonly<Record<string, string>>;
}

export function useLeadNames(): LeadNames {
  const [names, setNames] = useState<LeadNames>({ stageNames: {}, labelNames: {} });
  useEffect(() => {
    let current = true;
    Promise.all([loadStages(), listLabels()])
      .then(([stages, labels]) => {
        if (!current) return;
        setNames({
          stageNames: Object.fromEntries(stages.map((s) => [s.id, s.name])),
          labelNames: Object.fromEntries(labels.map((l) => [l.id, l.name])),
        });
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, []);
  return names;
}
