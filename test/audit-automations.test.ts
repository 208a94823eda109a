// The audit log's entries for automated items: created, changed (switched off and on included), deleted by
// people, and paused by ClubChat when their template stops being approved. One entry per change, none refused.
import { describe, expect, it } from 'vitest';
import { auditOf, testIp } from './helpers/audit';
import { setTemplateStatus, setUpItem, sweepAt } from './helpers/automations';
import { api } from './helpers/fixtures';
import { expectError } from './helpers/sandbox';

const keyActor = { kind: 'api_key', id: expect.stringMatching(/^key_/), name: 'test key' };
const trigger = { event: 'membership_end', offset_days: 3 };

describe('automated items changed by people', () => {
  it('creation, a pause, a resume, a change and a deletion are one entry each, by the caller', async () => {
    const { company, item } = await setUpItem({ trigger });
    const ip = testIp();
    const as = { 'CF-Connecting-IP': ip };
    const patch = (body: unknown) => api(company, 'PATCH', `/api/v1/whatsapp/automations/${item.id}`, body, as);
    expect((await patch({ enabled: false })).status).toBe(200);
    expect((await patch({ enabled: true })).status).toBe(200);
    expect((await patch({ name: 'Win back', trigger: { event: 'membership_end', offset_days: 7 } })).status).toBe(200);
    // The same values again change nothing.
    expect((await patch({ name: 'Win back' })).status).toBe(200);
    expect((await api(company, 'DELETE', `/api/v1/whatsapp/automations/${item.id}`, undefined, as)).status).toBe(204);

    const entries = await auditOf(company.id);
    for (const e of entries) expect(e).toMatchObject({ actor: keyActor, target: { type: 'automation', id: item.id } });
    expect(entries.map((e) => [e.action, e.details])).toEqual([
      [
        'automation.created',
        { name: 'Come back', enabled: true, template: { name: 'come_back', language: 'en_GB' }, trigger },
      ],
      ['automation.updated', { name: 'Come back', changed: { enabled: { from: true, to: false } } }],
      ['automation.updated', { name: 'Come back', changed: { enabled: { from: false, to: true } } }],
      [
        'automation.updated',
        {
          name: 'Come back',
          changed: {
            name: { from: 'Come back', to: 'Win back' },
            trigger: { from: trigger, to: { event: 'membership_end', offset_days: 7 } },
          },
        },
      ],
      ['automation.deleted', { name: 'Win back' }],
    ]);
    expect(entries.slice(1).map((e) => e.ip)).toEqual([ip, ip, ip, ip]);
  });

  it('switching on an item whose template is not approved is refused and not logged', async () => {
    const { company, item } = await setUpItem({ trigger, enabled: false });
    await setTemplateStatus(company.id, 'PAUSED');
    await expectError(
      await api(company, 'PATCH', `/api/v1/whatsapp/automations/${item.id}`, { enabled: true }),
      422,
      'template_not_approved',
    );
    expect((await auditOf(company.id)).map((e) => e.action)).toEqual(['automation.created']);
  });
});

describe('an item pausing itself', () => {
  it('is logged once, as ClubChat, with the reason', async () => {
    const { company, item } = await setUpItem({ trigger });
    await setTemplateStatus(company.id, 'PAUSED');
    const now = Date.parse('2026-06-10T09:00:00Z');
    expect((await sweepAt(company, item.id, now)).result.paused).toContain('PAUSED');
    await sweepAt(company, item.id, now + 300_000);
    expect(await auditOf(company.id, 'automation.updated')).toEqual([
      expect.objectContaining({
        actor: { kind: 'system', id: 'automations', name: 'ClubChat' },
        ip: null,
        target: { type: 'automation', id: item.id },
        details: {
          name: 'Come back',
          changed: {
            enabled: { from: true, to: false },
            paused_reason: { from: null, to: 'Template come_back (en_GB) is PAUSED, not APPROVED' },
          },
        },
      }),
    ]);
  });
});
