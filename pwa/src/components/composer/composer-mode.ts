// Which composer the rules allow. Order matters: WhatsApp off for the company beats everything, then the
// person's opt-out (Meta: never message someone who asked to stop), then the 24-hour window: free text only
// while it is open, an approved template otherwise.
import { windowLeftMs } from '../../lib/window';

export type ComposerMode =
  | { kind: 'disabled' }
  | { kind: 'opted_out' }
  | { kind: 'free_text'; leftMs: number }
  | { kind: 'template' };

export interface ComposerFacts {
  whatsappEnabled: boolean;
  optedOut: boolean;
  windowExpiresAt: string | null | undefined;
  now: number;
}

export function composerMode(f: ComposerFacts): ComposerMode {
  if (!f.whatsappEnabled) return { kind: 'disabled' };
  if (f.optedOut) return { kind: 'opted_out' };
  const leftMs = windowLeftMs(f.windowExpiresAt, f.now);
  return leftMs > 0 ? { kind: 'free_text', leftMs } : { kind: 'template' };
}
