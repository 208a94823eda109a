// A gym chain's data, made up but shaped like the real thing and the same on every run (seeded PRNG): people,
// their WhatsApp conversations (history notes in the shapes worker/whatsapp/history-writes.ts writes), counters
// and consent log rows. Base rows only: anything derived from them (inbox rows, search index) is the schema's
// business (triggers), never this generator's.

const DAY = 86_400_000;
const HOUR = 3_600_000;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // worker/ids.ts

const FIRST = (
  'Oliver Amelia George Isla Harry Ava Noah Mia Jack Ivy Leo Lily Arthur Isabella Muhammad Rosie Oscar ' +
  'Sophia Charlie Grace Henry Freya Theo Florence Freddie Willow Alfie Emily Archie Ella Thomas Poppy ' +
  'James Evie Joshua Elsie William Charlotte Isaac Evelyn Mark Maria Martin Marta Marcus Mariam Daniel ' +
  'Chloe Samuel Sophie Lucas Hannah Adam Jessica Ethan Lucy Joseph Ruby Max Matilda Ryan Zara Aaron ' +
  'Priya Ben Aisha Liam Sienna Sam Chen Tom Sheena Kwame Ana Luca Yusuf Fatima Jamie Nia Omar Leah Ravi ' +
  'Kate Dylan Amara'
).split(' ');
const LAST = (
  'Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker ' +
  'White Roberts Green Hall Wood Jackson Clarke Khan Lewis Hughes Edwards Hill Moore Clark Harrison ' +
  'Scott Young Morris Ali Martin Cooper Ward Turner King Baker Nguyen Okafor Silva Kowalski Murphy'
).split(' ');
const INBOUND = [
  'Hi, what are your opening hours on Sunday?',
  'Is there a joining fee at the moment?',
  'Can I bring a friend to try a class?',
  'Thanks! See you tomorrow',
  'How much is the off-peak membership?',
  'Can I freeze my membership for a month? Going travelling',
  'Is the pool open this week?',
  'Yes please, book me in for 6pm',
  'Do you have parking?',
  'I need to cancel my PT session on Thursday, sorry',
  'Great, thank you 👍',
  'What time does the spin class start?',
  'Can I pay by direct debit?',
  'I forgot my fob, can someone let me in?',
  'ok',
];
const OUTBOUND = [
  'Hi {name}, thanks for your message! We are open 6am to 10pm every day.',
  'Hi {name}, your free pass is ready at reception. See you soon!',
  'Great news {name}: no joining fee this month if you sign up before Friday.',
  'Booked! Your class is at 6pm, please arrive 10 minutes early.',
  'No problem {name}, I have moved your session. Anything else I can help with?',
  'Hi {name}, just checking in: how are you getting on with your new programme?',
  'Yes, we have free parking for members behind the building.',
  'Your membership is frozen from the 1st. Enjoy your trip!',
  'Hi {name}, we have missed you! Fancy a catch-up session this week?',
  'Thanks {name}, speak soon.',
];
const FAILED_ERROR = JSON.stringify({
  code: 131026,
  title: 'Message undeliverable',
  message: 'Message undeliverable',
  details: 'Message could not be delivered to the recipient',
});

/** mulberry32: small, fast, good enough to shuffle test data; the same seed gives the same data. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    exp: (mean) => -Math.log(1 - next()) * mean,
    id: (prefix) => {
      let s = `${prefix}_`;
      for (let i = 0; i < 20; i++) s += ALPHABET[Math.floor(next() * 32)];
      return s;
    },
  };
}

/**
 * How big everything is for a number of notes: people notes/10 (at least 1,000; 100,000 at 1M notes),
 * conversations for `conversationShare` of people (30,000 at 1M notes), one long conversation of 10,000 notes
 * (a tenth of the notes at smaller scales).
 */
export function planFor(notes, { conversationShare = 0.3 } = {}) {
  const people = Math.max(1000, Math.round(notes / 10));
  const conversations = Math.max(2, Math.min(people, Math.round(people * conversationShare)));
  const longNotes = Math.min(10_000, Math.round(notes / 10));
  return {
    notes,
    people,
    conversations,
    longNotes,
    optedOutShare: 0.03,
    windowOpenShare: 0.05,
    unreadShare: 0.12,
    optInCycleShare: 0.01,
  };
}

// UK mobiles (+44 77xx xxxxxx), spread over the range by a bijection mod 10^8 so neighbours do not look alike.
export const phoneOf = (i) => `+4477${String((i * 7919 + 12_345_678) % 100_000_000).padStart(8, '0')}`;

const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * Generates the whole data set in memory. Notes come back in time order (as a live system would have written
 * them, interleaved across people), so table and index pages hold what a real database would.
 */
export function generate(plan, { now = Date.now(), seed = 12 } = {}) {
  const rng = prng(seed);
  const P = plan.people;

  // People: created over three years, oldest first; a random share of them talk to the gym on WhatsApp.
  const people = new Array(P);
  const threeYears = 3 * 365 * DAY;
  for (let i = 0; i < P; i++) {
    const first = rng.pick(FIRST);
    const last = rng.chance(0.92) ? rng.pick(LAST) : null;
    const status = rng.chance(0.6) ? 'member' : rng.chance(0.6) ? 'lead' : 'former_member';
    const createdAt = now - threeYears + Math.floor(((i + rng.next()) * threeYears) / P) - DAY;
    const start = status === 'lead' ? null : Math.min(now, createdAt + rng.int(30) * DAY);
    people[i] = {
      id: rng.id('per'),
      firstName: first,
      lastName: last,
      phone: phoneOf(i),
      waId: null,
      email: rng.chance(0.7) ? `${first}.${last ?? 'x'}.${i}@example.com`.toLowerCase() : null,
      saleType: rng.chance(0.9) ? 'membership' : 'secondary',
      status,
      membershipStart: start === null ? null : isoDate(start),
      membershipEnd: status === 'former_member' && start !== null ? isoDate(start + (90 + rng.int(600)) * DAY) : null,
      dateOfBirth: rng.chance(0.5) ? isoDate(now - (18 + rng.int(50)) * 365 * DAY - rng.int(365) * DAY) : null,
      optedOut: 0,
      lastInboundAt: null,
      lastReadAt: null,
      createdAt,
      updatedAt: createdAt,
      conversation: false,
    };
  }

  // Who has a conversation: a random sample; the first of it gets the long one.
  const order = Array.from({ length: P }, (_, i) => i);
  for (let i = 0; i < plan.conversations; i++) {
    const j = i + rng.int(P - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const convPeople = order.slice(0, plan.conversations);
  const optedOut = new Set();
  for (const i of order) if (rng.chance(plan.optedOutShare)) optedOut.add(i);

  // Sizes: the long conversation, then an exponential spread (2 notes at least) that adds up exactly.
  const rest = plan.notes - plan.longNotes;
  const weights = convPeople.slice(1).map(() => 0.15 + rng.exp(1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = [plan.longNotes, ...weights.map((w) => Math.max(2, Math.round((w / sum) * rest)))];
  let diff = plan.notes - sizes.reduce((a, b) => a + b, 0);
  for (let k = 1; diff !== 0; k = (k % (sizes.length - 1)) + 1) {
    if (diff > 0) {
      sizes[k]++;
      diff--;
    } else if (sizes[k] > 2) {
      sizes[k]--;
      diff++;
    }
  }

  const notes = [];
  const counters = [];
  const consent = [];
  let wamidSeq = 0;
  const flags = { windowOpen: 0, unread: 0, optedOutWithConversation: 0, optInCycles: 0 };
  let longPersonIndex = null;
  convPeople.forEach((pi, k) => {
    const person = people[pi];
    const name = person.firstName;
    const size = sizes[k];
    const isLong = k === 0;
    const windowOpen = isLong || rng.chance(plan.windowOpenShare);
    const unread = isLong || rng.chance(windowOpen ? 0.5 : plan.unreadShare);
    const stops = optedOut.has(pi) && size >= 3 && !isLong;
    const cycle = !stops && size >= 10 && rng.chance(plan.optInCycleShare);

    // Directions, oldest first: the gym writes first; runs of either side; STOP (and START) where they belong.
    const kinds = [];
    let dir = 'sent';
    const body = size - (stops ? 2 : 0);
    for (let n = 0; n < body; n++) {
      kinds.push(dir);
      if (rng.chance(0.62)) dir = dir === 'sent' ? 'received' : 'sent';
    }
    if (windowOpen || unread) kinds[kinds.length - 1] = 'received';
    if (cycle) {
      const at = 2 + rng.int(body - 8);
      kinds.splice(at, 4, 'stop', 'opt_out', 'start', 'opt_in');
    }
    if (stops) kinds.push('stop', 'opt_out');

    // Times, newest first from the end: open windows end in the last 20 hours, others any time in the year.
    const endAt = windowOpen
      ? now - 5 * 60_000 - rng.int(20 * HOUR)
      : now - 25 * HOUR - Math.floor(rng.next() ** 2 * 340 * DAY);
    const span = isLong ? 365 * DAY : (1 + rng.exp(25)) * DAY;
    const meanGap = span / size;
    const times = new Array(kinds.length);
    let t = endAt;
    for (let n = kinds.length - 1; n >= 0; n--) {
      times[n] = t;
      // An opt-out/in note carries the time of the STOP/START message it follows.
      if (kinds[n] !== 'opt_out' && kinds[n] !== 'opt_in') t -= Math.max(1000, Math.floor(rng.exp(meanGap)));
    }
    if (person.createdAt > times[0]) person.createdAt = times[0] - rng.int(30) * DAY - HOUR;

    let sent = 0;
    let received = 0;
    let lastInbound = null;
    let lastInboundInbox = null;
    let firstTrailingInbox = null;
    let prevStopId = null;
    for (let n = 0; n < kinds.length; n++) {
      const kind = kinds[n];
      const at = times[n];
      if (kind === 'sent') {
        const age = now - at;
        const r = rng.next();
        const status =
          age < 10 * 60_000
            ? r < 0.5
              ? 'sent'
              : 'delivered'
            : r < 0.6
              ? 'read'
              : r < 0.85
                ? 'delivered'
                : r < 0.95
                  ? 'sent'
                  : 'failed';
        if (status !== 'failed') sent++;
        notes.push({
          id: rng.id('his'),
          person: pi,
          type: 'whatsapp_sent',
          wamid: `wamid.bench.${++wamidSeq}`,
          messageType: 'text',
          body: rng.pick(OUTBOUND).replace('{name}', name),
          content: null,
          status,
          statusAt: Math.min(now, at + 1000 + rng.int(600_000)),
          error: status === 'failed' ? FAILED_ERROR : null,
          actor: ACTOR_STAFF,
          category: 'service',
          occurredAt: at,
          createdAt: at,
        });
        firstTrailingInbox = null;
      } else if (kind === 'received' || kind === 'stop' || kind === 'start') {
        const occurredAt = Math.floor(at / 1000) * 1000; // Meta's timestamps are whole seconds
        const createdAt = occurredAt + 300 + rng.int(2200);
        const text = kind === 'stop' ? 'STOP' : kind === 'start' ? 'START' : rng.pick(INBOUND);
        const id = rng.id('his');
        received++;
        notes.push({
          id,
          person: pi,
          type: 'whatsapp_received',
          wamid: `wamid.bench.${++wamidSeq}`,
          messageType: 'text',
          body: text,
          content: null,
          status: 'received',
          statusAt: occurredAt,
          error: null,
          actor: null,
          category: null,
          occurredAt,
          createdAt,
        });
        lastInbound = occurredAt;
        lastInboundInbox = Math.min(createdAt, occurredAt + 999); // worker/inbox/order.ts
        if (firstTrailingInbox === null) firstTrailingInbox = lastInboundInbox;
        if (kind !== 'received') prevStopId = { id, wamid: `wamid.bench.${wamidSeq}`, occurredAt, text };
      } else {
        // whatsapp_opt_out / whatsapp_opt_in, as keywordStatements writes them (id = the STOP note's + "_kw").
        const s = prevStopId;
        const actor = JSON.stringify({
          kind: 'whatsapp',
          id: person.phone.slice(1),
          name: `+${person.phone.slice(1)}`,
        });
        notes.push({
          id: `${s.id}_kw`,
          person: pi,
          type: kind === 'opt_out' ? 'whatsapp_opt_out' : 'whatsapp_opt_in',
          wamid: null,
          messageType: null,
          body: s.text,
          content: JSON.stringify({ source: 'whatsapp', method: 'whatsapp_keyword', keyword: s.text, wamid: s.wamid }),
          status: null,
          statusAt: null,
          error: null,
          actor,
          category: null,
          occurredAt: s.occurredAt,
          createdAt: s.occurredAt,
        });
        consent.push({
          id: `${s.id}_cl`,
          person: pi,
          action: kind === 'opt_out' ? 'opt_out' : 'opt_in',
          method: 'whatsapp_keyword',
          text: s.text,
          capturedAt: s.occurredAt,
          evidenceUrl: `wamid:${s.wamid}`,
          actor,
          recordedAt: s.occurredAt + 500,
        });
      }
    }
    person.conversation = true;
    person.waId = person.phone.slice(1);
    person.lastInboundAt = lastInbound;
    person.optedOut = stops ? 1 : 0;
    // Read state: unread ones were last read just before their trailing inbound messages.
    if (lastInboundInbox !== null)
      person.lastReadAt =
        unread && firstTrailingInbox !== null
          ? firstTrailingInbox - 1
          : Math.min(now, lastInboundInbox + 1000 + rng.int(2 * HOUR));
    person.updatedAt = Math.max(person.createdAt, times.at(-1));
    counters.push({ person: pi, sent, received });
    if (windowOpen) flags.windowOpen++;
    if (unread) flags.unread++;
    if (stops) flags.optedOutWithConversation++;
    if (cycle) flags.optInCycles++;
    if (isLong) longPersonIndex = pi;
  });

  // Opted out without a conversation: imported that way (the API's opt-out, with its consent log row).
  for (const pi of optedOut) {
    const person = people[pi];
    if (person.conversation) continue;
    person.optedOut = 1;
    const at = person.createdAt + HOUR;
    consent.push({
      id: rng.id('con'),
      person: pi,
      action: 'opt_out',
      method: 'api',
      text: null,
      capturedAt: at,
      evidenceUrl: null,
      actor: ACTOR_KEY,
      recordedAt: at,
    });
  }

  notes.sort((a, b) => a.createdAt - b.createdAt);
  return { people, notes, counters, consent, flags, longPersonIndex, convPeople };
}

const ACTOR_STAFF = JSON.stringify({ kind: 'user', id: 'usr_bench_staff', name: 'Bench Staff' });
const ACTOR_KEY = JSON.stringify({ kind: 'api_key', id: 'key_bench', name: 'bench' });
