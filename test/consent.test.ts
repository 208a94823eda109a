// WhatsApp opt-out / opt-in: consent evidence, the append-only consent log, and history notes.
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../worker/db/client';
import { consentLog, historyNotes, people } from '../worker/db/schema';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { manualSimulator } from './helpers/sandbox';

const consent = {
  method: 'web_form',
  text: 'Yes, send me membership updates on WhatsApp',
  captured_at: '2025-06-01T09:30:00Z',
  evidence_url: 'https://forms.example.com/submissions/123',
};

const keyActor = { kind: 'api_key', id: expect.stringMatching(/^key_/), name: 'test key' };

async function logOf(personId: string) {
  return getDb(env)
    .select()
    .from(consentLog)
    .where(eq(consentLog.personId, personId))
    .orderBy(consentLog.recordedAt)
    .all();
}

async function notesOf(personId: string) {
  return getDb(env).select().from(historyNotes).where(eq(historyNotes.personId, personId)).all();
}

async function personOf(company: TestCompany, id: string) {
  return (await (await api(company, 'GET', `/api/v1/people/${id}`)).json()) as {
    whatsapp_opted_out: boolean;
    sms_opted_out: boolean;
  };
}

describe('consent on creation', () => {
  it('records the consent evidence given with a new person', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company, { whatsapp_consent: consent });
    expect(await logOf(id)).toEqual([
      expect.objectContaining({
        companyId: company.id,
        channel: 'whatsapp',
        action: 'opt_in',
        method: 'web_form',
        text: consent.text,
        capturedAt: Date.parse(consent.captured_at),
        evidenceUrl: consent.evidence_url,
        actor: keyActor,
      }),
    ]);
  });

  it('refuses consent sent together with an opt-out', async () => {
    const company = await makeCompany();
    const res = await api(company, 'POST', '/api/v1/people', {
      first_name: 'A',
      whatsapp_opted_out: true,
      whatsapp_consent: consent,
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'consent_conflict' } });
  });

  it('refuses evidence that is not a web link', async () => {
    const company = await makeCompany();
    const res = await api(company, 'POST', '/api/v1/people', {
      first_name: 'A',
      whatsapp_consent: { ...consent, evidence_url: 'javascript:alert(1)' },
    });
    expect(res.status).toBe(422);
  });
});

describe('opting out and back in through PUT', () => {
  it('records an opt-out, refuses an opt-in without consent, and accepts one with consent', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);

    const out = await api(company, 'PUT', `/api/v1/people/${id}`, { whatsapp_opted_out: true });
    expect(out.status).toBe(200);
    expect(await out.json()).toMatchObject({ whatsapp_opted_out: true });
    expect(await logOf(id)).toEqual([
      expect.objectContaining({ channel: 'whatsapp', action: 'opt_out', method: 'api', actor: keyActor }),
    ]);
    expect(await notesOf(id)).toEqual([
      expect.objectContaining({
        type: 'whatsapp_opt_out',
        actor: keyActor,
        content: { source: 'api', method: 'api' },
        occurredAt: expect.any(Number),
      }),
    ]);

    const refused = await api(company, 'PUT', `/api/v1/people/${id}`, {
      whatsapp_opted_out: false,
      first_name: 'Changed',
    });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: { code: 'consent_required' } });
    expect(await personOf(company, id)).toMatchObject({ whatsapp_opted_out: true, first_name: 'Sheena' });
    expect(await logOf(id)).toHaveLength(1);

    // Consent alone, without asking to opt back in, is ambiguous and refused.
    const ambiguous = await api(company, 'PUT', `/api/v1/people/${id}`, { whatsapp_consent: consent });
    expect(ambiguous.status).toBe(422);
    expect(await ambiguous.json()).toMatchObject({ error: { code: 'consent_conflict' } });

    const back = await api(company, 'PUT', `/api/v1/people/${id}`, {
      whatsapp_opted_out: false,
      whatsapp_consent: consent,
    });
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({ whatsapp_opted_out: false });

    const log = await logOf(id);
    expect(log).toHaveLength(2);
    const optIn = log.find((row) => row.action === 'opt_in');
    expect(optIn).toMatchObject({
      companyId: company.id,
      channel: 'whatsapp',
      method: consent.method,
      text: consent.text,
      capturedAt: Date.parse(consent.captured_at),
      evidenceUrl: consent.evidence_url,
      actor: keyActor,
      recordedAt: expect.any(Number),
    });

    const notes = await notesOf(id);
    expect(notes.map((n) => n.type).sort()).toEqual(['whatsapp_opt_in', 'whatsapp_opt_out']);
    expect(notes.find((n) => n.type === 'whatsapp_opt_in')).toMatchObject({
      actor: keyActor,
      content: {
        source: 'api',
        method: consent.method,
        text: consent.text,
        captured_at: '2025-06-01T09:30:00.000Z',
        evidence_url: consent.evidence_url,
      },
    });
  });

  it('writes nothing new when the opt-out state does not change', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);
    expect((await api(company, 'PUT', `/api/v1/people/${id}`, { whatsapp_opted_out: false })).status).toBe(200);
    expect(await logOf(id)).toEqual([]);
    await api(company, 'PUT', `/api/v1/people/${id}`, { whatsapp_opted_out: true });
    await api(company, 'PUT', `/api/v1/people/${id}`, { whatsapp_opted_out: true });
    expect(await logOf(id)).toHaveLength(1);
    expect(await notesOf(id)).toHaveLength(1);
  });

  it('never opts someone back in when a save that repeats their opt-out state races a STOP or an opt-out', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    // The race is between the save reading the person and writing them: tried often enough to land in it.
    for (let i = 0; i < 15; i++) {
      const { id, phone } = await makePerson(company);
      const answers = await Promise.all([
        [
          () => sim.inbound({ from: phone, text: 'STOP' }),
          () => api(company, 'POST', `/api/v1/people/${id}/whatsapp/opt-out`, {}),
          () => api(company, 'PUT', `/api/v1/people/${id}`, { whatsapp_opted_out: true }),
        ]
          [i % 3]?.()
          .then((r) => r.status),
        api(company, 'PUT', `/api/v1/people/${id}`, { first_name: 'Saved', whatsapp_opted_out: false }).then(
          (r) => r.status,
        ),
      ]);
      expect(answers[0]).toBe(200);
      expect([200, 422]).toContain(answers[1]);
      expect(await personOf(company, id), `try ${i}`).toMatchObject({ whatsapp_opted_out: true });
      expect((await logOf(id)).map((r) => r.action)).toEqual(['opt_out']);
    }
  });

  it('writes new consent evidence with the opt-in it proves, so a racing opt-out never leaves them disagreeing', async () => {
    const company = await makeCompany();
    for (let i = 0; i < 10; i++) {
      const { id } = await makePerson(company);
      const [out, evidence] = await Promise.all([
        api(company, 'PUT', `/api/v1/people/${id}`, { whatsapp_opted_out: true }),
        api(company, 'PUT', `/api/v1/people/${id}`, { whatsapp_consent: consent }),
      ]);
      expect([out.status, evidence.status]).toEqual([200, 200]);
      const latest = (await logOf(id)).at(-1)?.action;
      const { whatsapp_opted_out: optedOut } = await personOf(company, id);
      expect({ optedOut, latest }, `try ${i}`).toEqual({ optedOut: latest === 'opt_out', latest });
    }
  });

  it('applies nothing when the person update fails (one batch)', async () => {
    const company = await makeCompany();
    const a = await makePerson(company);
    const b = await makePerson(company);
    const res = await api(company, 'PUT', `/api/v1/people/${a.id}`, { whatsapp_opted_out: true, phone: b.phone });
    expect(res.status).toBe(409);
    expect(await personOf(company, a.id)).toMatchObject({ whatsapp_opted_out: false });
    expect(await logOf(a.id)).toEqual([]);
    expect(await notesOf(a.id)).toEqual([]);
  });
});

describe('the consent log is append-only', () => {
  it('refuses UPDATE and DELETE', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company, { whatsapp_consent: consent });
    await expect(
      env.DB.prepare("UPDATE consent_log SET method = 'forged' WHERE person_id = ?").bind(id).run(),
    ).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare('DELETE FROM consent_log WHERE person_id = ?').bind(id).run()).rejects.toThrow(
      /append-only/,
    );
    expect(await logOf(id)).toEqual([expect.objectContaining({ method: 'web_form' })]);
  });
});

describe('POST /api/v1/people/:id/whatsapp/opt-out (staff action)', () => {
  it('opts out with a reason, and is idempotent', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);
    const res = await api(company, 'POST', `/api/v1/people/${id}/whatsapp/opt-out`, {
      reason: 'Asked at the front desk',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, whatsapp_opted_out: true });
    expect(await logOf(id)).toEqual([
      expect.objectContaining({ action: 'opt_out', method: 'staff', text: 'Asked at the front desk', actor: keyActor }),
    ]);
    expect(await notesOf(id)).toEqual([
      expect.objectContaining({
        type: 'whatsapp_opt_out',
        content: { source: 'api', method: 'staff', reason: 'Asked at the front desk' },
      }),
    ]);

    const again = await api(company, 'POST', `/api/v1/people/${id}/whatsapp/opt-out`);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ whatsapp_opted_out: true });
    expect(await logOf(id)).toHaveLength(1);
    expect(await notesOf(id)).toHaveLength(1);
  });

  it('works without a body and refuses unknown fields', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);
    const bad = await api(company, 'POST', `/api/v1/people/${id}/whatsapp/opt-out`, { opt_in: true });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: { code: 'unknown_field' } });
    expect(await personOf(company, id)).toMatchObject({ whatsapp_opted_out: false });

    expect((await api(company, 'POST', `/api/v1/people/${id}/whatsapp/opt-out`)).status).toBe(200);
    expect(await personOf(company, id)).toMatchObject({ whatsapp_opted_out: true });
  });

  it('has no staff opt-in counterpart', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company, { whatsapp_opted_out: true });
    const res = await api(company, 'POST', `/api/v1/people/${id}/whatsapp/opt-in`, {});
    expect(res.status).toBe(404);
    expect(await personOf(company, id)).toMatchObject({ whatsapp_opted_out: true });
  });
});

describe('SMS and WhatsApp opt-outs are independent', () => {
  it('changes one channel without touching the other', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);

    const sms = await api(company, 'PUT', `/api/v1/people/${id}`, { sms_opted_out: true });
    expect(await sms.json()).toMatchObject({ sms_opted_out: true, whatsapp_opted_out: false });
    expect(await logOf(id)).toEqual([expect.objectContaining({ channel: 'sms', action: 'opt_out' })]);
    // History notes are WhatsApp's: an SMS change writes none.
    expect(await notesOf(id)).toEqual([]);

    await api(company, 'POST', `/api/v1/people/${id}/whatsapp/opt-out`);
    // SMS may come back without WhatsApp consent, and WhatsApp stays opted out.
    const smsBack = await api(company, 'PUT', `/api/v1/people/${id}`, { sms_opted_out: false });
    expect(smsBack.status).toBe(200);
    expect(await smsBack.json()).toMatchObject({ sms_opted_out: false, whatsapp_opted_out: true });

    const whatsappRows = (await logOf(id)).filter((r) => r.channel === 'whatsapp');
    expect(whatsappRows.map((r) => r.action)).toEqual(['opt_out']);
    const row = await getDb(env)
      .select()
      .from(people)
      .where(and(eq(people.companyId, company.id), eq(people.id, id)))
      .get();
    expect(row).toMatchObject({ smsOptedOut: false, whatsappOptedOut: true });
  });
});

it('shows opt-out and opt-in notes in the person history', async () => {
  const company = await makeCompany();
  const { id } = await makePerson(company);
  await api(company, 'POST', `/api/v1/people/${id}/whatsapp/opt-out`, { reason: 'Moved away' });
  const res = await api(company, 'GET', `/api/v1/people/${id}/history?filter=whatsapp&count=true`);
  expect(await res.json()).toMatchObject({
    collection: [
      {
        person_id: id,
        type: 'whatsapp_opt_out',
        direction: null,
        actor: { kind: 'api_key', name: 'test key' },
        content: { source: 'api', method: 'staff', reason: 'Moved away' },
      },
    ],
    pagination: { total_entries: 1 },
  });
});
