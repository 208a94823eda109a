import { describe, expect, it } from 'vitest';
import { skipReasonWords } from './skip-reasons';

// The server's SKIP_REASONS (worker/whatsapp/automations/types.ts) and the send path's template refusal.
const SERVER_REASONS = [
  'opted_out',
  'no_phone',
  'whatsapp_disabled',
  'marketing_stopped',
  'template_not_approved',
  'too_late',
  'missing_variable',
  'template_params',
];

describe('skipReasonWords', () => {
  it.each(SERVER_REASONS)('%s has words of its own', (reason) => {
    const words = skipReasonWords(reason);
    expect(words).not.toContain('_');
    expect(words).not.toMatch(/^Skipped \(/);
  });

  it('a reason this app does not know yet is still shown, readably', () => {
    expect(skipReasonWords('pair_rate_limited')).toBe('Skipped (pair rate limited)');
  });
});
