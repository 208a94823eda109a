// Which composer the rules allow. Order matters: WhatsApp off for the company beats everything, then the
// person's opt-out (Meta: never message someone who asked to stop; an erasure on request is one, until new
// consent), then the 24-hour window: free text only
// while it is open, an approved template otherwise.
import { windowLeftMs } from '../../lib/window';

export type ComposerMode =
  | { kind: 'disabled' }
  | { kind: 'erased' }
  | { kind: 'opted_out' }
  | { kind: 'free_text'; leftMs: number }
  | { kind: 'template' };

export interface ComposerFacts {
  whatsappEnabled: boolean;
  optedOut: boolean;
  /** Their data was erased on request (PersonDetail.erased_at): while opted out, only new consent lifts it. */
  erased?: boolean;
  windowExpiresAt: string | null | undefined;
  now: number;
}

export function composerMode(f: ComposerFacts): ComposerMode {
  if (!f.whatsappEnabled) return { kind: 'disabled' };
  if (f.optedOut) return { kind: f.erased ? 'erased' : 'opted_out' };
  const leftMs = windowLeftMs(f.windowExpiresAt, f.now);
  return leftMs > 0 ? { kind: 'free_text', leftMs } : { kind: 'template' };
}
