import { describe, expect, it } from 'vitest';
import { api, makeCompany, makePerson } from './helpers/fixtures';
import { expectError, historyOf, manualSimulator, sendText } from './helpers/sandbox';

describe('one company never reaches another’s conversations', () => {
  it('refuses to send to, or reveal the messages of, another company’s person', async () => {
    const a = await makeCompany({ name: 'Gym A' });
    const b = await makeCompany({ name: 'Gym B' });
    const simA = await manualSimulator(a);
    const simB = await manualSimulator(b);
    const personA = await makePerson(a);
    await simA.inbound({ from: personA.phone, text: 'private to A' });

    await expectError(await sendText(b, personA.id, 'hi from B'), 404, 'not_found');
    const tpl = { template: { name: 'welcome_offer', language: 'en_GB', params: ['x'] } };
    await expectError(await api(b, 'POST', `/api/v1/people/${personA.id}/whatsapp/messages`, tpl), 404, 'not_found');
    await expectError(await api(b, 'GET', `/api/v1/people/${personA.id}/history`), 404, 'not_found');
    await expectError(await api(b, 'POST', `/api/v1/people/${personA.id}/whatsapp/opt-out`), 404, 'not_found');
    expect(await simA.listMessages()).toHaveLength(0);
    expect(await simB.listMessages()).toHaveLength(0);
  });

  it('keeps the same phone number in two companies as two people with separate windows and histories', async () => {
    const a = await makeCompany();
    const b = await makeCompany();
    const simA = await manualSimulator(a);
    const simB = await manualSimulator(b);
    const personA = await makePerson(a);
    const personB = await makePerson(b, { phone: personA.phone });

    await simA.inbound({ from: personA.phone, text: 'only to A' });
    // B's window with the same number is still closed: windows belong to one business number.
    await expectError(await sendText(b, personB.id, 'hi'), 409, 'window_closed');
    expect((await sendText(a, personA.id, 'hi')).status).toBe(202);

    expect((await historyOf(a, personA.id)).map((n) => n.body)).toEqual(['hi', 'only to A']);
    expect(await historyOf(b, personB.id)).toEqual([]);
    expect(await simB.listMessages()).toHaveLength(0);

    // A STOP sent to A's number opts out of A only.
    await simA.inbound({ from: personA.phone, text: 'STOP' });
    const inB = await api(b, 'GET', `/api/v1/people/${personB.id}`);
    expect(await inB.json()).toMatchObject({ whatsapp_opted_out: false });
  });
});
