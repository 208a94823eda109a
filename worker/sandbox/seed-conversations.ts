// The demo gym's conversations, so a newcomer's first login shows an inbox in every state: unread, the reply
// window open (and nearly closed), closed with a template sent, a failed send, an opted-out person, a photo and
// a reaction. Every message goes through the real paths: the person's messages are signed webhooks from the
// simulator (Meta's timestamps set in the past, so windows are open or closed as the story says), ours go through
// the send service and the conversation object to the simulator, whose status webhooks follow; read marks are the
// inbox's own. So history, counters, the inbox rows and each conversation object's window all agree.
//
// Idempotent: each step has a fixed id (the person's message its wamid, ours its note id) and is skipped when
// history already holds it, so a second run (every `npm start`) changes nothing, and a run cut short resumes.

import { and, eq } from 'drizzle-orm';
import { UNSCOPED } from '#common/scope';
import type { CompanyAuth } from '../auth/actor';
import { getDb } from '../db/client';
import { historyNotes, type people } from '../db/schema';
import { markConversationRead } from '../inbox/read-state';
import { sendAsMessage } from '../whatsapp/send-service';
import { sampleReferral } from './ads';
import type { InboundInput } from './controls';

export type DemoPerson = Pick<
  typeof people.$inferInsert,
  'id' | 'firstName' | 'lastName' | 'phone' | 'status' | 'saleType' | 'email' | 'clubId'
>;

/**
 * The demo gym's second club, with a WhatsApp number of its own: its people write to that number and are
 * answered from it. The first club is the one every company starts with (migrations/0015).
 */
export const DEMO_LEEDS = {
  clubId: 'clb_demo_leeds',
  name: 'Leeds Riverside',
  address: '12 Wharf Street, Leeds LS2 7EQ',
  numberId: 'wan_demo_leeds',
  phoneNumberId: '100000000000002',
  displayPhoneNumber: '15550100002',
} as const;

type Step =
  /** The person writes (a webhook), `minutesAgo` by Meta's clock; `image` sends a photo with `text` as caption. */
  | { kind: 'writes'; wamid: string; minutesAgo: number; text: string; image?: true; fromAd?: true }
  /** Staff send, as Sam Staff, free text or a template. */
  | { kind: 'we_send'; noteId: string; text: string }
  | { kind: 'we_send'; noteId: string; template: { name: string; language: string; params: string[] } }
  /** The person reacts to one of our messages. */
  | { kind: 'reacts'; wamid: string; to: string; emoji: string }
  /** A staff member opened the chat: what the person wrote so far is read (also at Meta: blue ticks). */
  | { kind: 'read' };

interface Script {
  person: DemoPerson & { id: string; phone: string };
  /** Meta answers sends to this number with this error (131026: not on WhatsApp or cannot receive). */
  failsWith?: number;
  steps: Step[];
}

const WELCOME = { name: 'welcome_offer', language: 'en_GB' } as const;

/** Numbers follow the first four demo people's (+447412345601…04). */
export const DEMO_SCRIPTS: Script[] = [
  {
    person: {
      id: 'per_demo_olivia',
      firstName: 'Olivia',
      lastName: 'Stone',
      phone: '+447412345609',
      status: 'member',
      email: 'olivia.stone@example.com',
    },
    steps: [
      {
        kind: 'writes',
        wamid: 'wamid.DEMO_olivia_1',
        minutesAgo: 3 * 24 * 60,
        text: 'What time do you close on Fridays?',
      },
      { kind: 'writes', wamid: 'wamid.DEMO_olivia_2', minutesAgo: 2 * 24 * 60, text: 'STOP' },
      { kind: 'read' },
    ],
  },
  {
    person: {
      id: 'per_demo_ben',
      firstName: 'Ben',
      lastName: 'Carter',
      phone: '+447412345608',
      status: 'lead',
      clubId: DEMO_LEEDS.clubId,
    },
    failsWith: 131026,
    steps: [{ kind: 'we_send', noteId: 'his_demo_ben_welcome', template: { ...WELCOME, params: ['Ben'] } }],
  },
  {
    person: {
      id: 'per_demo_chloe',
      firstName: 'Chloe',
      lastName: 'Davies',
      phone: '+447412345607',
      status: 'lead',
      email: 'chloe.davies@example.com',
    },
    steps: [
      {
        kind: 'writes',
        wamid: 'wamid.DEMO_chloe_1',
        minutesAgo: 3 * 24 * 60,
        text: 'Thanks for showing me around today!',
      },
      { kind: 'read' },
      { kind: 'we_send', noteId: 'his_demo_chloe_welcome', template: { ...WELCOME, params: ['Chloe'] } },
    ],
  },
  {
    person: {
      id: 'per_demo_grace',
      firstName: 'Grace',
      lastName: 'Kim',
      phone: '+447412345606',
      status: 'member',
      clubId: DEMO_LEEDS.clubId,
    },
    steps: [
      { kind: 'writes', wamid: 'wamid.DEMO_grace_1', minutesAgo: 23 * 60 + 10, text: 'Is there parking at the gym?' },
      { kind: 'read' },
      {
        kind: 'we_send',
        noteId: 'his_demo_grace_reply',
        text: 'Yes! Free parking behind the building, just show your membership card at the barrier.',
      },
    ],
  },
  {
    person: { id: 'per_demo_jack', firstName: 'Jack', lastName: 'Turner', phone: '+447412345605', status: 'member' },
    steps: [
      {
        kind: 'writes',
        wamid: 'wamid.DEMO_jack_1',
        minutesAgo: 2 * 60,
        text: "Can I freeze my membership for two weeks? I'm travelling.",
      },
      { kind: 'read' },
      {
        kind: 'we_send',
        noteId: 'his_demo_jack_reply',
        text: "Of course, Jack! I've frozen it from Monday for two weeks. Enjoy the trip!",
      },
      { kind: 'reacts', wamid: 'wamid.DEMO_jack_2', to: 'his_demo_jack_reply', emoji: '👍' },
    ],
  },
  {
    person: {
      id: 'per_demo_noah',
      firstName: 'Noah',
      lastName: 'Wright',
      phone: '+447412345610',
      status: 'member',
      saleType: 'secondary',
    },
    steps: [
      {
        kind: 'writes',
        wamid: 'wamid.DEMO_noah_1',
        minutesAgo: 0,
        text: 'The screen on this treadmill is broken, the one by the window',
        image: true,
      },
    ],
  },
  {
    person: {
      id: 'per_demo_maria',
      firstName: 'María',
      lastName: 'Gómez',
      phone: '+447412345611',
      status: 'lead',
      email: 'maria.gomez@example.com',
    },
    steps: [
      // The demo's lead from an ad: her first message carries the ad (sandbox/ads.ts).
      {
        kind: 'writes',
        wamid: 'wamid.DEMO_maria_1',
        minutesAgo: 2,
        text: 'Hi! I saw your offer on Instagram 😊',
        fromAd: true,
      },
      { kind: 'writes', wamid: 'wamid.DEMO_maria_2', minutesAgo: 0, text: 'Do you have a student discount?' },
    ],
  },
];

/** People in the directory who have never been messaged, besides the first four demo people. */
export const DEMO_QUIET_PEOPLE: DemoPerson[] = [
  {
    id: 'per_demo_liam',
    firstName: 'Liam',
    lastName: 'Walsh',
    phone: '+447412345612',
    status: 'lead',
    saleType: 'secondary',
    email: 'liam.walsh@example.com',
    clubId: DEMO_LEEDS.clubId,
  },
];

/** Who the seeded staff messages are from: the demo staff member. */
const SAM: CompanyAuth['actor'] = { kind: 'user', id: 'usr_demo_staff', name: 'Sam Staff' };

export async function seedConversations(env: Env, companyId: string, phoneNumberId: string): Promise<void> {
  const db = getDb(env);
  const firstSim = env.META_SANDBOX.getByName(phoneNumberId);
  const leedsSim = env.META_SANDBOX.getByName(DEMO_LEEDS.phoneNumberId);
  const auth: CompanyAuth = { companyId, actor: SAM, role: 'staff', scope: UNSCOPED };
  const inHistory = async (where: { id: string } | { wamid: string }) =>
    (await db
      .select({ id: historyNotes.id, wamid: historyNotes.wamid })
      .from(historyNotes)
      .where(
        and(
          eq(historyNotes.companyId, companyId),
          'id' in where ? eq(historyNotes.id, where.id) : eq(historyNotes.wamid, where.wamid),
        ),
      )
      .get()) ?? null;

  for (const { person, failsWith, steps } of DEMO_SCRIPTS) {
    // Leeds people write to Leeds' number, so our replies go from it too (whatsapp/numbers.ts).
    const sim = person.clubId === DEMO_LEEDS.clubId ? leedsSim : firstSim;
    if (failsWith !== undefined) await sim.failRecipient(person.phone, failsWith);
    // A read mark only follows messages this run delivered: on a later run the person may have written since,
    // and the seed must not mark that read.
    let wroteNow = false;
    for (const step of steps) {
      if (step.kind === 'read') {
        if (wroteNow) await markConversationRead(env, companyId, person.id);
        continue;
      }
      if (step.kind === 'we_send') {
        if (await inHistory({ id: step.noteId })) continue;
        const req = 'template' in step ? { template: step.template } : { text: step.text };
        await sendAsMessage(
          env,
          auth,
          { id: person.id, phone: person.phone, saleType: person.saleType ?? 'membership' },
          step.noteId,
          req,
        );
        continue;
      }
      if (await inHistory({ wamid: step.wamid })) continue;
      const from = { from: person.phone, name: `${person.firstName} ${person.lastName ?? ''}`.trim(), id: step.wamid };
      let input: InboundInput;
      if (step.kind === 'reacts') {
        const ours = await inHistory({ id: step.to });
        if (!ours?.wamid) continue;
        input = { ...from, type: 'reaction', content: { message_id: ours.wamid, emoji: step.emoji } };
      } else {
        const timestampSeconds = Math.floor((Date.now() - step.minutesAgo * 60_000) / 1000);
        input = step.image
          ? { ...from, type: 'image', text: step.text, timestampSeconds }
          : { ...from, text: step.text, timestampSeconds, ...(step.fromAd ? { referral: sampleReferral() } : {}) };
      }
      const { status } = await sim.inbound(input);
      if (status !== 200) throw new Error(`the demo message ${step.wamid} was answered ${status} by our webhook`);
      wroteNow = true;
    }
  }
}
