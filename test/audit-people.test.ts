// The audit log's entries for people: consent recorded, opt-outs and opt-ins (by API key, from the app, or by
// the person's own STOP/START) and phone changes; exactly one entry per change, none when it is refused.
import { describe, expect, it } from 'vitest';
import { auditOf, testIp } from './helpers/audit';
import { api, makeCompany, makePerson, uniquePhone } from './helpers/fixtures';
import { expectError } from './helpers/sandbox';
import { staffSession } from './helpers/staff';
import { inboundPayload, nowSeconds, postWebhook } from './helpers/webhooks';

const consent = { method: 'web_form', text: 'Message me on WhatsApp', captured_at: '2025-06-01T09:30:00Z' };
const keyActor = { kind: 'api_key', id: expect.stringMatching(/^key_/), name: 'test key' };

describe('consent and opt-out', () => {
  it('records consent given at creation as consent.recorded, by the API key, from its address', async () => {
    const company = await makeCompany();
    const ip = testIp();
    const res = await api(
      company,
      'POST',
      '/api/v1/people',
      { first_name: 'Sheena', phone: uniquePhone(), whatsapp_consent: consent },
      { 'CF-Connecting-IP': ip },
    );
    expect(res.status).toBe(201);
    const person = (await res.json()) as { id: string };
    // A person made without consent changes nothing the log watches.
    await makePerson(company);
    expect(await auditOf(company.id)).toEqual([
      {
        id: expect.stringMatching(/^aud_/),
        at: expect.any(Number),
        actor: keyActor,
        ip,
        action: 'consent.recorded',
        target: { type: 'person', id: person.id },
        details: {
          channel: 'whatsapp',
          method: 'web_form',
          captured_at: '2025-06-01T09:30:00.000Z',
          consent_id: expect.stringMatching(/^con_/),
        },
      },
    ]);
  });

  it('a staff opt-out in the app is one person.opted_out by that user, and a second changes nothing', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const staff = await staffSession(company);
    const ip = testIp();
    const optOut = () =>
      staff.fetch(`/api/v1/people/${person.id}/whatsapp/opt-out`, {
        method: 'POST',
        body: { reason: 'Asked at the front desk' },
        headers: { 'CF-Connecting-IP': ip },
      });
    expect((await optOut()).status).toBe(200);
    expect((await optOut()).status).toBe(200);
    expect(await auditOf(company.id)).toMatchObject([
      {
        actor: { kind: 'user', id: staff.user.id, name: 'Test staff' },
        ip,
        action: 'person.opted_out',
        target: { type: 'person', id: person.id },
        details: { channel: 'whatsapp', method: 'staff', reason: 'Asked at the front desk' },
      },
    ]);
  });

  it('opting back in needs consent: refused without it (nothing logged), person.opted_in with it', async () => {
    const company = await makeCompany();
    const person = await makePerson(company, { whatsapp_opted_out: true });
    const created = await auditOf(company.id);
    expect(created).toMatchObject([{ action: 'person.opted_out', details: { channel: 'whatsapp', method: 'api' } }]);

    await expectError(
      await api(company, 'PUT', `/api/v1/people/${person.id}`, { whatsapp_opted_out: false }),
      422,
      'consent_required',
    );
    expect(await auditOf(company.id)).toHaveLength(1);

    const ip = testIp();
    const res = await api(
      company,
      'PUT',
      `/api/v1/people/${person.id}`,
      { whatsapp_opted_out: false, whatsapp_consent: consent },
      { 'CF-Connecting-IP': ip },
    );
    expect(res.status).toBe(200);
    const entries = await auditOf(company.id);
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({
      actor: keyActor,
      ip,
      action: 'person.opted_in',
      target: { type: 'person', id: person.id },
      details: { channel: 'whatsapp', method: 'web_form', captured_at: '2025-06-01T09:30:00.000Z' },
    });
  });

  it('an SMS opt-out is a person.opted_out on the sms channel', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    expect((await api(company, 'PUT', `/api/v1/people/${person.id}`, { sms_opted_out: true })).status).toBe(200);
    expect(await auditOf(company.id)).toMatchObject([
      { action: 'person.opted_out', target: { id: person.id }, details: { channel: 'sms', method: 'api' } },
    ]);
  });
});

describe('phone changes', () => {
  it('a new number is one person.phone_changed with from and to; a taken number is refused and not logged', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const other = await makePerson(company);
    const to = uniquePhone();
    const ip = testIp();
    const res = await api(company, 'PUT', `/api/v1/people/${person.id}`, { phone: to }, { 'CF-Connecting-IP': ip });
    expect(res.status).toBe(200);
    // Other fields, or the same number again, are not what the log watches.
    await api(company, 'PUT', `/api/v1/people/${person.id}`, { first_name: 'Sheila', phone: to });
    await expectError(
      await api(company, 'PUT', `/api/v1/people/${person.id}`, { phone: other.phone }),
      409,
      'phone_taken',
    );
    expect(await auditOf(company.id)).toEqual([
      expect.objectContaining({
        actor: keyActor,
        ip,
        action: 'person.phone_changed',
        target: { type: 'person', id: person.id },
        details: { from: person.phone, to },
      }),
    ]);
  });
});

describe('STOP and START on WhatsApp', () => {
  it('are logged as the person themselves, once each; a redelivery or an older keyword adds nothing', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const digits = person.phone.replace('+', '');
    const stop = inboundPayload(company.phoneNumberId, {
      from: person.phone,
      text: 'STOP',
      name: 'Sheena',
      timestamp: nowSeconds(-60_000),
    });
    expect((await postWebhook(stop)).status).toBe(200);
    expect((await postWebhook(stop)).status).toBe(200);
    // A START sent before the STOP, delivered after it: not the person's latest word.
    const stale = inboundPayload(company.phoneNumberId, {
      from: person.phone,
      text: 'START',
      timestamp: nowSeconds(-120_000),
    });
    expect((await postWebhook(stale)).status).toBe(200);
    const start = inboundPayload(company.phoneNumberId, { from: person.phone, text: 'start', name: 'Sheena' });
    expect((await postWebhook(start)).status).toBe(200);

    const entries = await auditOf(company.id);
    const actor = { kind: 'whatsapp', id: digits, name: 'Sheena' };
    expect(entries).toEqual([
      expect.objectContaining({
        actor,
        ip: null,
        action: 'person.opted_out',
        target: { type: 'person', id: person.id },
        details: expect.objectContaining({ channel: 'whatsapp', method: 'whatsapp_keyword', keyword: 'STOP' }),
      }),
      expect.objectContaining({
        actor,
        ip: null,
        action: 'person.opted_in',
        target: { type: 'person', id: person.id },
        details: expect.objectContaining({ channel: 'whatsapp', method: 'whatsapp_keyword', keyword: 'start' }),
      }),
    ]);
  });
});
