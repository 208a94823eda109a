// Meta's wa_id is not always the number a gym typed: Brazil's mobile ninth digit and Mexico's "1" come and
// go. Both forms must reach one person, one conversation and one 24-hour window.
import { runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, approveTemplate, makeCompany, makePerson, uniquePhone } from './helpers/fixtures';
import { conversation, expectError, historyOf, manualSimulator, sendText } from './helpers/sandbox';

async function peopleNamed(company: Awaited<ReturnType<typeof makeCompany>>) {
  const res = await api(company, 'GET', '/api/v1/people?per_page=100');
  return ((await res.json()) as { collection: { id: string; phone: string }[] }).collection;
}

describe("Meta's wa_id", () => {
  it('lands an inbound from the Brazilian wa_id without the ninth digit on the person, and opens their window', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company, { phone: '+5511987654321' });
    expect((await sim.inbound({ from: '551187654321', text: 'Oi! Quanto custa?' })).status).toBe(200);

    expect(await peopleNamed(company)).toHaveLength(1);
    const received = await historyOf(company, person.id, 'whatsapp_received');
    expect(received.map((n) => n.body)).toEqual(['Oi! Quanto custa?']);
    const reply = await sendText(company, person.id, 'Olá! A partir de R$99.');
    expect(reply.status).toBe(202);
    // Sent to the id Meta knows the person by.
    const [sent] = await sim.listMessages();
    expect(sent?.to).toBe('551187654321');
    const res = await api(company, 'GET', `/api/v1/people/${person.id}`);
    expect(await res.json()).toMatchObject({ whatsapp: { conversation: 'active', wa_id: '551187654321' } });
  });

  it("learns the wa_id from Meta's send answer, then matches the inbound on it (Mexico's 1)", async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    await approveTemplate(company.id, { name: 'welcome_offer', params: 1 });
    const person = await makePerson(company, { phone: '+525512345678' });
    const tpl = await api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, {
      template: { name: 'welcome_offer', language: 'en_GB', params: ['Ana'] },
    });
    expect(tpl.status).toBe(202);
    const res = await api(company, 'GET', `/api/v1/people/${person.id}`);
    expect(await res.json()).toMatchObject({ whatsapp: { wa_id: '5215512345678' } });

    await sim.inbound({ from: '5215512345678', text: 'Hola' });
    expect(await peopleNamed(company)).toHaveLength(1);
    expect((await sendText(company, person.id, '¡Hola Ana!')).status).toBe(202);
  });

  it('keeps the wa_id learnt last when Meta redelivers an older message from the other form', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company, { phone: '+525512345678' });
    const older = await sim.inbound({ from: '525512345678', text: 'Hola' });
    await sim.inbound({ from: '5215512345678', text: '¿Precio?' });
    const waId = async () =>
      ((await (await api(company, 'GET', `/api/v1/people/${person.id}`)).json()) as { whatsapp: { wa_id: string } })
        .whatsapp.wa_id;
    expect(await waId()).toBe('5215512345678');

    // At-least-once delivery: the first message again, hours later. It is stored once and teaches nothing.
    expect((await sim.inbound({ from: '525512345678', text: 'Hola', id: older.wamid })).status).toBe(200);
    expect(await waId()).toBe('5215512345678');
    expect(await historyOf(company, person.id, 'whatsapp_received')).toHaveLength(2);
  });

  it('a number given to someone else a moment ago never lands on its old owner (ingest remembers senders)', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const first = await makePerson(company, { first_name: 'Olga' });
    const from = first.phone.slice(1);
    expect((await sim.inbound({ from, text: 'First' })).status).toBe(200);
    // The gym learns Olga has a new number, and her old one now belongs to a new lead.
    const moved = await api(company, 'PUT', `/api/v1/people/${first.id}`, { phone: uniquePhone() });
    expect(moved.status).toBe(200);
    const second = await makePerson(company, { first_name: 'Nina', phone: first.phone });
    expect((await sim.inbound({ from, text: 'Second' })).status).toBe(200);

    expect((await historyOf(company, first.id, 'whatsapp_received')).map((n) => n.body)).toEqual(['First']);
    expect((await historyOf(company, second.id, 'whatsapp_received')).map((n) => n.body)).toEqual(['Second']);
  });

  it('a number that matches no one still becomes a new lead', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    await makePerson(company, { phone: '+5511987654321' });
    await sim.inbound({ from: '551133334444', text: 'Olá' });
    const people = await peopleNamed(company);
    expect(people.map((p) => p.phone).sort()).toEqual(['+551133334444', '+5511987654321']);
  });

  it('does not send queued messages to a new number under the old number’s window', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    await sim.inbound({ from: person.phone, text: 'hi' });
    await sim.queueFaults([{ kind: 'http', status: 429, code: 130429 }]);
    const queued = (await (await sendText(company, person.id, 'see you at 6')).json()) as { status: string };
    expect(queued.status).toBe('queued');

    const newPhone = '+447400123456';
    expect((await api(company, 'PUT', `/api/v1/people/${person.id}`, { phone: newPhone })).status).toBe(200);
    // The window belonged to the old number; the new one has not written.
    await expectError(await sendText(company, person.id, 'hello new number'), 409, 'window_closed');
    await sim.flushWebhooks();
    await runDurableObjectAlarm(conversation(company, person.id));
    expect(await sim.listMessages()).toHaveLength(0);
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ status: 'failed', error: { code: 'phone_changed' } });
  });
});
