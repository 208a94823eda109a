import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyMetaFailure,
  isWindowOpen,
  keywordOf,
  type MessageStatus,
  type MetaStatus,
  retryDelayMs,
  SERVICE_WINDOW_MS,
  type SendFacts,
  sendRefusal,
  sentCounterDelta,
  shouldApplyStatus,
  windowExpiresAt,
} from '../worker/whatsapp/policy';

const HOUR = 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 25, 12);

const facts = (over: Partial<SendFacts> = {}): SendFacts => ({
  whatsappEnabled: true,
  optedOut: false,
  erased: false,
  marketingStopped: false,
  hasPhone: true,
  windowOpen: true,
  message: { kind: 'text' },
  ...over,
});
const approved = { status: 'APPROVED', category: 'UTILITY' };
const filled = { missing: [], extra: [] };

describe('the 24-hour window', () => {
  it.each([
    ['never wrote', null, false],
    ['wrote an hour ago', NOW - HOUR, true],
    ['wrote 23h59m ago', NOW - SERVICE_WINDOW_MS + 60_000, true],
    ['wrote exactly 24h ago', NOW - SERVICE_WINDOW_MS, false],
    ['wrote 25h ago', NOW - 25 * HOUR, false],
  ])('%s -> open: %s', (_label, last, open) => {
    expect(isWindowOpen(last, NOW)).toBe(open);
  });

  it('expires 24h after the last inbound message', () => {
    expect(windowExpiresAt(NOW)).toBe(NOW + SERVICE_WINDOW_MS);
    expect(windowExpiresAt(null)).toBeNull();
  });
});

describe('STOP / START keywords', () => {
  it.each([
    ['STOP', 'stop'],
    ['  stop\n', 'stop'],
    ['Stop', 'stop'],
    ['START', 'start'],
    [' start ', 'start'],
    ['stop please', null],
    ['STOPP', null],
    ['', null],
    [undefined, null],
  ])('%j -> %s', (text, keyword) => {
    expect(keywordOf(text)).toBe(keyword);
  });
});

describe('send refusals', () => {
  it.each<[string, Partial<SendFacts>, string | null]>([
    ['a text inside the window', {}, null],
    ['WhatsApp disabled', { whatsappEnabled: false }, 'whatsapp_disabled'],
    ['opted out', { optedOut: true }, 'opted_out'],
    ['erased on request, still opted out', { erased: true, optedOut: true }, 'person_erased'],
    ['erased, then new consent recorded', { erased: true, optedOut: false }, null],
    ['no phone', { hasPhone: false }, 'no_phone'],
    ['free text outside the window', { windowOpen: false }, 'window_closed'],
    [
      'a template outside the window',
      { windowOpen: false, message: { kind: 'template', template: approved, params: filled } },
      null,
    ],
    ['an unknown template', { message: { kind: 'template', template: null, params: filled } }, 'template_not_approved'],
    [
      'a pending template',
      { message: { kind: 'template', template: { ...approved, status: 'PENDING' }, params: filled } },
      'template_not_approved',
    ],
    [
      'a paused template (132015)',
      { message: { kind: 'template', template: { ...approved, status: 'PAUSED' }, params: filled } },
      'template_not_approved',
    ],
    [
      'a rejected template',
      { message: { kind: 'template', template: { ...approved, status: 'REJECTED' }, params: filled } },
      'template_not_approved',
    ],
    [
      'a template missing a param',
      { message: { kind: 'template', template: approved, params: { missing: ['2'], extra: [] } } },
      'template_params',
    ],
    [
      'a template with an extra param',
      { message: { kind: 'template', template: approved, params: { missing: [], extra: ['#3'] } } },
      'template_params',
    ],
    [
      'marketing to someone who stopped marketing (131050)',
      {
        marketingStopped: true,
        message: { kind: 'template', template: { ...approved, category: 'MARKETING' }, params: filled },
      },
      'marketing_stopped',
    ],
    [
      'utility to someone who stopped marketing',
      { marketingStopped: true, message: { kind: 'template', template: approved, params: filled } },
      null,
    ],
    [
      'disabled beats opted out beats no phone',
      { whatsappEnabled: false, optedOut: true, hasPhone: false },
      'whatsapp_disabled',
    ],
  ])('%s -> %s', (_label, over, code) => {
    expect(sendRefusal(facts(over))?.code ?? null).toBe(code);
  });

  const anyFacts = fc.record({
    whatsappEnabled: fc.boolean(),
    optedOut: fc.boolean(),
    erased: fc.boolean(),
    marketingStopped: fc.boolean(),
    hasPhone: fc.boolean(),
    windowOpen: fc.boolean(),
    message: fc.oneof(
      fc.constant<SendFacts['message']>({ kind: 'text' }),
      fc.constant<SendFacts['message']>({ kind: 'interactive' }),
      fc.record({
        kind: fc.constant<'template'>('template'),
        template: fc.option(
          fc.record({
            status: fc.constantFrom('APPROVED', 'PENDING', 'REJECTED', 'PAUSED'),
            category: fc.constantFrom('MARKETING', 'UTILITY', 'AUTHENTICATION'),
          }),
          { nil: null },
        ),
        params: fc.record({
          missing: fc.array(fc.constantFrom('1', '2', 'first_name'), { maxLength: 2 }),
          extra: fc.array(fc.constantFrom('#3', 'colour'), { maxLength: 2 }),
        }),
      }),
    ),
  });

  it('never lets a message reach an opted-out person', () => {
    fc.assert(
      fc.property(anyFacts, (f) => {
        expect(sendRefusal({ ...f, optedOut: true })).not.toBeNull();
      }),
    );
  });

  it('never lets free text, or buttons and lists, leave outside the window', () => {
    fc.assert(
      fc.property(anyFacts, fc.constantFrom('text' as const, 'interactive' as const), (f, kind) => {
        expect(sendRefusal({ ...f, windowOpen: false, message: { kind } })).not.toBeNull();
      }),
    );
  });

  it('only lets approved templates with the right parameters leave outside the window', () => {
    fc.assert(
      fc.property(anyFacts, (f) => {
        const refusal = sendRefusal({ ...f, windowOpen: false });
        if (refusal === null) {
          expect(f.message.kind).toBe('template');
          if (f.message.kind === 'template') {
            expect(f.message.template?.status).toBe('APPROVED');
            expect(f.message.params).toEqual({ missing: [], extra: [] });
          }
        }
      }),
    );
  });
});

describe('status ranking', () => {
  const RANK: MessageStatus[] = ['queued', 'sent', 'delivered', 'failed', 'read'];

  it.each<[MessageStatus, MetaStatus, boolean]>([
    ['queued', 'sent', true],
    ['sent', 'delivered', true],
    ['delivered', 'sent', false],
    ['read', 'delivered', false],
    ['sent', 'read', true],
    ['delivered', 'failed', true],
    ['failed', 'delivered', false],
    ['read', 'failed', false],
    ['failed', 'read', true],
    ['unknown', 'delivered', true],
    ['read', 'read', false],
  ])('%s then %s -> applied: %s', (from, to, applied) => {
    expect(shouldApplyStatus(from, to)).toBe(applied);
  });

  it('ends on the same status whatever order and repetition the webhooks come in, never moving backwards', () => {
    const statuses = fc.array(fc.constantFrom<MetaStatus>('sent', 'delivered', 'read', 'failed'), {
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(statuses, (seq) => {
        let current: MessageStatus = 'queued';
        for (const s of seq) {
          const before = RANK.indexOf(current);
          if (shouldApplyStatus(current, s)) current = s;
          expect(RANK.indexOf(current)).toBeGreaterThanOrEqual(before);
        }
        const best = seq.reduce<MessageStatus>((a, s) => (RANK.indexOf(s) > RANK.indexOf(a) ? s : a), 'queued');
        expect(current).toBe(best);
      }),
    );
  });

  it('counts a message as sent until it fails, and again if a read proves it arrived', () => {
    expect(sentCounterDelta('queued', 'sent')).toBe(1);
    expect(sentCounterDelta('sent', 'delivered')).toBe(0);
    expect(sentCounterDelta('delivered', 'failed')).toBe(-1);
    expect(sentCounterDelta('failed', 'read')).toBe(1);
    expect(sentCounterDelta('unknown', 'delivered')).toBe(1);
  });
});

describe('retries', () => {
  it.each([
    [429, undefined, 'retry'],
    [400, 130429, 'retry'],
    [400, 131056, 'retry'],
    [400, 80007, 'retry'],
    [400, 4, 'retry'],
    [503, 131000, 'retry'],
    // The request may have been processed: resending could deliver twice.
    [500, undefined, 'unknown'],
    [500, 1, 'unknown'],
    [502, undefined, 'unknown'],
    [504, 2, 'unknown'],
    [400, 131026, 'permanent'],
    [400, 131047, 'permanent'],
    [400, 132000, 'permanent'],
    [401, 190, 'permanent'],
  ] as const)('HTTP %i, code %s -> %s', (http, code, kind) => {
    expect(classifyMetaFailure(http, code)).toBe(kind);
  });

  it('backs off exponentially, honours Retry-After and waits at least 6 s after a pair rate limit', () => {
    expect(retryDelayMs(1, 130429, undefined, 1)).toBe(2_000);
    expect(retryDelayMs(3, 130429, undefined, 1)).toBe(8_000);
    expect(retryDelayMs(1, undefined, 30_000, 0)).toBe(30_000);
    expect(retryDelayMs(1, 131056, undefined, 0)).toBe(6_000);
    expect(retryDelayMs(30, undefined, undefined, 1)).toBe(15 * 60_000);
  });
});
