// Automated items end to end with the clock moved: each trigger kind, quiet hours, the 24-hour catch-up,
// every skip reason, and an item pausing itself when its template is paused.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../worker/db/client';
import { people } from '../worker/db/schema';
import {
  ALL_DAY,
  makeItem,
  occurrencesOf,
  runAt,
  sentTo,
  setTemplateStatus,
  setUpItem,
  sweepAt,
} from './helpers/automations';
import { api, approveTemplate, makeCompany, makePerson } from './helpers/fixtures';
import { countersOf, historyOf, manualSimulator } from './helpers/sandbox';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('membership_end, three days after', () => {
  it('goes once, at the start of the send window on the day, with the person’s values', async () => {
    const { company, sim, item } = await setUpItem({ trigger: { event: 'membership_end', offset_days: 3 } });
    const due = await makePerson(company, { first_name: 'Sheena', membership_end: '2026-06-07' });
    const notYet = await makePerson(company, { first_name: 'Tom', membership_end: '2026-06-08' });

    // 07:59 in London (BST): the day has come but the window has not opened.
    await runAt(company, item.id, at('2026-06-10T06:59:00Z'));
    expect(await sim.listMessages()).toHaveLength(0);

    await runAt(company, item.id, at('2026-06-10T07:05:00Z'));
    expect(await sentTo(sim)).toEqual([due.phone.slice(1)]);
    const [message] = await sim.listMessages();
    expect(JSON.parse(message?.rawBody ?? '{}')).toMatchObject({
      template: { name: 'come_back', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Sheena' }] }] },
    });

    // Every later tick that day finds the occurrence already handled.
    await runAt(company, item.id, at('2026-06-10T07:10:00Z'));
    await runAt(company, item.id, at('2026-06-10T15:00:00Z'));
    expect(await sim.listMessages()).toHaveLength(1);

    const [note] = await historyOf(company, due.id, 'whatsapp_sent');
    expect(note).toMatchObject({
      actor: { kind: 'automation', id: item.id, name: 'Come back' },
      automation: { id: item.id, name: 'Come back' },
      sale_type: 'membership',
      template: { name: 'come_back', params: ['Sheena'] },
    });
    expect((await countersOf(company, due.id)).membership.sent).toBe(1);
    expect(await historyOf(company, notYet.id)).toHaveLength(0);

    // Tom's day is tomorrow.
    await runAt(company, item.id, at('2026-06-11T07:05:00Z'));
    expect(await sentTo(sim)).toEqual([due.phone.slice(1), notYet.phone.slice(1)].sort());
  });
});

describe('each trigger kind', () => {
  it('membership_start, two days before', async () => {
    const { company, sim, item } = await setUpItem({ trigger: { event: 'membership_start', offset_days: -2 } });
    const p = await makePerson(company, { membership_start: '2026-06-12' });
    await makePerson(company, { membership_start: '2026-06-10' });
    await runAt(company, item.id, at('2026-06-10T09:00:00Z'));
    expect(await sentTo(sim)).toEqual([p.phone.slice(1)]);
  });

  it('date_of_birth, on the birthday in the company’s timezone, from the window’s start', async () => {
    const { company, sim, item } = await setUpItem({
      trigger: { event: 'date_of_birth' },
      send_window: { start: '09:00', end: '20:00' },
    });
    const p = await makePerson(company, { date_of_birth: '1990-06-10' });
    await makePerson(company, { date_of_birth: '1990-06-11' });
    await runAt(company, item.id, at('2026-06-10T07:30:00Z')); // 08:30 BST
    expect(await sim.listMessages()).toHaveLength(0);
    await runAt(company, item.id, at('2026-06-10T08:00:00Z')); // 09:00 BST
    expect(await sentTo(sim)).toEqual([p.phone.slice(1)]);
    // Next year is another occurrence.
    await runAt(company, item.id, at('2027-06-10T08:00:00Z'));
    expect(await sim.listMessages()).toHaveLength(2);
  });

  it('person_created, two hours after, counting only people created after the item', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    await approveTemplate(company.id, { name: 'come_back' });
    const before = await makePerson(company);
    const item = await makeItem(company, {
      trigger: { event: 'person_created', offset_hours: 2 },
      send_window: ALL_DAY,
    });
    const after = await makePerson(company);
    const now = Date.now();
    await runAt(company, item.id, now + HOUR);
    expect(await sim.listMessages()).toHaveLength(0);
    await runAt(company, item.id, now + 2 * HOUR + MINUTE);
    expect(await sentTo(sim)).toEqual([after.phone.slice(1)]);
    expect(await historyOf(company, before.id)).toHaveLength(0);
  });

  it('no_reply, four hours after the person’s last message when nothing was sent since', async () => {
    const { company, sim, item } = await setUpItem({
      trigger: { event: 'no_reply', offset_hours: 4 },
      send_window: ALL_DAY,
    });
    const waiting = await makePerson(company);
    const answered = await makePerson(company);
    const fiveHoursAgo = Math.floor((Date.now() - 5 * HOUR) / 1000);
    await sim.inbound({ from: waiting.phone, text: 'How much is it?', timestampSeconds: fiveHoursAgo });
    await sim.inbound({ from: answered.phone, text: 'How much is it?', timestampSeconds: fiveHoursAgo });
    const reply = await api(company, 'POST', `/api/v1/people/${answered.id}/whatsapp/messages`, {
      text: '£25 a month',
    });
    expect(reply.status).toBe(202);
    const before = (await sim.listMessages()).length;

    await runAt(company, item.id, Date.now());
    const templatesSent = (await sim.listMessages()).slice(before);
    expect(templatesSent.map((m) => m.to)).toEqual([waiting.phone.slice(1)]);
    // The automated message is itself an answer: no second occurrence for the same silence.
    await runAt(company, item.id, Date.now() + HOUR);
    expect((await sim.listMessages()).length).toBe(before + 1);
  });
});

describe('quiet hours and the 24-hour catch-up', () => {
  it('sends nothing at night, goes at the next window within 24 hours, and after that records too_late', async () => {
    const { company, sim, item } = await setUpItem({
      trigger: { event: 'membership_end', offset_days: 0 },
      send_window: { start: '09:00', end: '20:00' },
    });
    const late = await makePerson(company, { membership_end: '2026-06-10' });
    // The cron was down all of 10 June; it comes back at 20:30 BST: closed, nothing recorded.
    await runAt(company, item.id, at('2026-06-10T19:30:00Z'));
    await runAt(company, item.id, at('2026-06-11T02:00:00Z'));
    expect(await sim.listMessages()).toHaveLength(0);
    expect(await occurrencesOf(item.id)).toHaveLength(0);
    // 09:00 BST on the 11th: exactly 24 hours after it fell due, still in time.
    await runAt(company, item.id, at('2026-06-11T08:00:00Z'));
    expect(await sentTo(sim)).toEqual([late.phone.slice(1)]);

    const missed = await makePerson(company, { membership_end: '2026-06-11' });
    // Nothing ran on the 11th after 09:00; on the 12th at 09:30 BST it is 24.5 hours late.
    const { result } = await runAt(company, item.id, at('2026-06-12T08:30:00Z'));
    expect(result.tooLate).toBe(1);
    expect(await sim.listMessages()).toHaveLength(1);
    const rows = await occurrencesOf(item.id);
    expect(rows.find((r) => r.personId === missed.id)).toMatchObject({ state: 'skipped', reason: 'too_late' });
  });

  it('enabling an item never mails people whose date passed long ago', async () => {
    const { company, sim, item } = await setUpItem({ trigger: { event: 'membership_end', offset_days: 3 } });
    await makePerson(company, { membership_end: '2020-01-01' });
    await makePerson(company, { membership_end: '2026-05-01' });
    const { result } = await runAt(company, item.id, at('2026-06-10T10:00:00Z'));
    expect(result).toMatchObject({ queued: 0, tooLate: 0, runId: null });
    expect(await sim.listMessages()).toHaveLength(0);
  });

  it('an occurrence queued in the window but consumed after it closes waits for the next window', async () => {
    const { company, sim, item } = await setUpItem({ trigger: { event: 'membership_end', offset_days: 0 } });
    await makePerson(company, { membership_end: '2026-06-10' });
    const { ids } = await sweepAt(company, item.id, at('2026-06-10T19:55:00Z')); // 20:55 BST
    const { processOccurrences } = await import('../worker/whatsapp/automations/consumer');
    await processOccurrences(env, ids, at('2026-06-10T20:05:00Z')); // 21:05 BST: closed
    expect(await sim.listMessages()).toHaveLength(0);
    expect((await occurrencesOf(item.id))[0]?.state).toBe('pending');
    // At 08:00 BST next morning the sweep queues it again (24 hours after it fell due: still in time) and it goes.
    const next = await sweepAt(company, item.id, at('2026-06-11T07:00:00Z'));
    expect(next.result.requeued).toBe(1);
    await processOccurrences(env, next.ids, at('2026-06-11T07:00:00Z'));
    expect(await sim.listMessages()).toHaveLength(1);
  });
});

describe('skips, with their reasons', () => {
  it('opted_out, no_phone, missing_variable and marketing_stopped, counted in the run log', async () => {
    const { company, sim, item } = await setUpItem(
      { trigger: { event: 'membership_end', offset_days: 0 }, variables: ['first_name', 'last_name'] },
      { category: 'MARKETING', params: 2 },
    );
    const end = { membership_end: '2026-06-10' };
    const ok = await makePerson(company, { ...end, last_name: 'Nelson' });
    await makePerson(company, { ...end, last_name: 'Out', whatsapp_opted_out: true });
    const noPhone = await api(company, 'POST', '/api/v1/people', { first_name: 'Nophone', last_name: 'X', ...end });
    expect(noPhone.status).toBe(201);
    await makePerson(company, { ...end }); // no last name
    const stopped = await makePerson(company, { ...end, last_name: 'Stopped' });
    await getDb(env).update(people).set({ whatsappMarketingStopped: true }).where(eq(people.id, stopped.id));

    const { result } = await runAt(company, item.id, at('2026-06-10T09:00:00Z'));
    expect(await sentTo(sim)).toEqual([ok.phone.slice(1)]);
    const runs = await api(company, 'GET', `/api/v1/whatsapp/automations/${item.id}/runs`);
    expect(await runs.json()).toMatchObject({
      collection: [
        {
          id: result.runId,
          kind: 'cron',
          due: 5,
          sent: 1,
          failed: 0,
          pending: 0,
          skipped: { opted_out: 1, no_phone: 1, missing_variable: 1, marketing_stopped: 1 },
        },
      ],
    });
  });

  it('whatsapp_disabled', async () => {
    const company = await makeCompany({ whatsapp: false });
    await approveTemplate(company.id, { name: 'come_back' });
    const item = await makeItem(company, { trigger: { event: 'membership_end', offset_days: 0 } });
    await makePerson(company, { membership_end: '2026-06-10' });
    await runAt(company, item.id, at('2026-06-10T09:00:00Z'));
    expect((await occurrencesOf(item.id))[0]).toMatchObject({ state: 'skipped', reason: 'whatsapp_disabled' });
  });

  it('template_not_approved: the template is paused between queueing and sending; the item pauses itself', async () => {
    const { company, sim, item } = await setUpItem({ trigger: { event: 'membership_end', offset_days: 0 } });
    await makePerson(company, { membership_end: '2026-06-10' });
    const { ids } = await sweepAt(company, item.id, at('2026-06-10T09:00:00Z'));
    await setTemplateStatus(company.id, 'PAUSED');
    const { processOccurrences } = await import('../worker/whatsapp/automations/consumer');
    await processOccurrences(env, ids, at('2026-06-10T09:00:00Z'));
    expect(await sim.listMessages()).toHaveLength(0);
    expect((await occurrencesOf(item.id))[0]).toMatchObject({ state: 'skipped', reason: 'template_not_approved' });
    const res = await api(company, 'GET', `/api/v1/whatsapp/automations/${item.id}`);
    expect(await res.json()).toMatchObject({ enabled: false, paused_reason: expect.stringContaining('PAUSED') });
  });
});

describe('an item whose template stops being APPROVED', () => {
  it('pauses itself at the next sweep, says why, and sends nothing until enabled again', async () => {
    const { company, sim, item } = await setUpItem({ trigger: { event: 'membership_end', offset_days: 0 } });
    await makePerson(company, { membership_end: '2026-06-10' });
    await setTemplateStatus(company.id, 'PAUSED');
    const { result } = await runAt(company, item.id, at('2026-06-10T09:00:00Z'));
    expect(result.paused).toContain('PAUSED');
    expect(await occurrencesOf(item.id)).toHaveLength(0);
    const got = await api(company, 'GET', `/api/v1/whatsapp/automations/${item.id}`);
    expect(await got.json()).toMatchObject({
      enabled: false,
      paused_reason: 'Template come_back (en_GB) is PAUSED, not APPROVED',
    });
    // Re-enabling needs the template approved again.
    const refused = await api(company, 'PATCH', `/api/v1/whatsapp/automations/${item.id}`, { enabled: true });
    expect(refused.status).toBe(422);
    await setTemplateStatus(company.id, 'APPROVED');
    const enabled = await api(company, 'PATCH', `/api/v1/whatsapp/automations/${item.id}`, { enabled: true });
    expect(await enabled.json()).toMatchObject({ enabled: true, paused_reason: null });
    await runAt(company, item.id, at('2026-06-10T09:05:00Z'));
    expect(await sim.listMessages()).toHaveLength(1);
  });
});
