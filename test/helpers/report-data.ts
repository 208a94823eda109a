// A fixed week of a gym's leads and messages for the report tests (test/reports.test.ts), written as rows the way
// the conversation object and the bench loader write them, so the report triggers of migrations/0021 keep the
// figures. Every time is in March 2026, before the clocks change: London time is UTC.
import { env } from 'cloudflare:workers';
import { newId } from '../../worker/ids';
import { firstClub, makeClub } from './clubs';
import { makeCompany, type TestCompany } from './fixtures';
import { makeUser, type TestUser } from './staff';

export const at = (iso: string): number => Date.parse(`${iso}Z`);
export const MIN = 60_000;

type Actor = { kind: string; id: string; name: string };
const userActor = (u: TestUser): Actor => ({ kind: 'user', id: u.id, name: 'staff' });

export async function insertPerson(
  companyId: string,
  p: { club: string; owner: string | null; createdAt: number; status?: string; createdBy?: Actor },
): Promise<string> {
  const id = newId('per');
  await env.DB.prepare(
    `INSERT INTO people (id, company_id, first_name, phone, status, club_id, owner_user_id, created_by, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)`,
  )
    .bind(
      id,
      companyId,
      `Lead ${id.slice(-4)}`,
      `+4477${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      p.status ?? 'lead',
      p.club,
      p.owner,
      JSON.stringify(p.createdBy ?? { kind: 'whatsapp', id: 'wa', name: 'WhatsApp message' }),
      p.createdAt,
    )
    .run();
  return id;
}

export async function inbound(companyId: string, personId: string, occurredAt: number): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO history_notes (id, company_id, person_id, type, wamid, message_type, body, status, status_at, occurred_at, created_at)
     VALUES (?1, ?2, ?3, 'whatsapp_received', ?4, 'text', 'Hi', 'received', ?5, ?5, ?6)`,
  )
    .bind(newId('his'), companyId, personId, `wamid.rep.${crypto.randomUUID()}`, occurredAt, occurredAt + 800)
    .run();
}

/**
 * A send as the conversation object writes it: stored 'queued', then its statuses one by one (each through the
 * status trigger), ending at `status`; a failure carries Meta's error.
 */
export async function outbound(
  companyId: string,
  personId: string,
  o: {
    at: number;
    actor: Actor;
    status: 'sent' | 'delivered' | 'read' | 'failed';
    template?: string;
    category?: 'service' | 'utility' | 'marketing';
    error?: { code: number; title: string };
  },
): Promise<string> {
  const id = newId('his');
  await env.DB.prepare(
    `INSERT INTO history_notes (id, company_id, person_id, type, message_type, body, content, status, status_at, actor, category, occurred_at, created_at)
     VALUES (?1, ?2, ?3, 'whatsapp_sent', ?4, 'Hello', ?5, 'queued', ?6, ?7, ?8, ?6, ?6)`,
  )
    .bind(
      id,
      companyId,
      personId,
      o.template ? 'template' : 'text',
      o.template ? JSON.stringify({ name: o.template, language: 'en_GB', params: [] }) : null,
      o.at,
      JSON.stringify(o.actor),
      o.category ?? 'service',
    )
    .run();
  const steps =
    o.status === 'failed'
      ? ['failed']
      : ['sent', 'delivered', 'read'].slice(0, ['sent', 'delivered', 'read'].indexOf(o.status) + 1);
  for (const status of steps)
    await env.DB.prepare(`UPDATE history_notes SET status = ?2, status_at = ?3, error = ?4 WHERE id = ?1`)
      .bind(id, status, o.at + 1000, status === 'failed' ? JSON.stringify(o.error) : null)
      .run();
  return id;
}

export async function setStage(companyId: string, personId: string, stage: string, changedAt: number): Promise<void> {
  await env.DB.prepare(
    `UPDATE people SET stage_id = (SELECT id FROM pipeline_stages WHERE company_id = ?1 AND name = ?3), stage_changed_at = ?4
      WHERE id = ?2`,
  )
    .bind(companyId, personId, stage, changedAt)
    .run();
}

export interface ReportWorld {
  company: TestCompany;
  leeds: string;
  york: string;
  sam: TestUser;
  ria: TestUser;
  mia: TestUser;
  automationId: string;
  leads: Record<'l1' | 'l2' | 'l3' | 'l4' | 'l5' | 'l6' | 'l7' | 'l8', string>;
}

/**
 * Leeds is open 06:00-22:00 every day; York has no hours (always open). Sam (staff) and Ria (salesperson) work
 * leads, Mia (manager) answers one. The figures each report should show are worked out by hand in reports.test.ts.
 */
export async function reportWorld(): Promise<ReportWorld> {
  const company = await makeCompany();
  const leeds = await firstClub(company);
  const york = await makeClub(company, 'York');
  const day = [['06:00', '22:00']];
  await env.DB.prepare('UPDATE clubs SET hours = ?2 WHERE id = ?1')
    .bind(leeds, JSON.stringify({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }))
    .run();
  const sam = await makeUser(company, 'staff', { name: 'Sam' });
  const ria = await makeUser(company, 'salesperson', { name: 'Ria' });
  const mia = await makeUser(company, 'manager', { name: 'Mia' });
  const automationId = newId('aut');
  await env.DB.prepare(
    `INSERT INTO automations (id, company_id, name, template_name, template_language, sale_type, trigger)
     VALUES (?1, ?2, 'Welcome', 'welcome_offer', 'en_GB', 'membership', '{"event":"person_created","offset_hours":0}')`,
  )
    .bind(automationId, company.id)
    .run();
  const c = company.id;
  const automation: Actor = { kind: 'automation', id: automationId, name: 'Welcome' };
  const away: Actor = { kind: 'system', id: 'away_reply', name: 'Away reply' };

  // L1 (Leeds, Sam): writes Mon 10:00, Sam answers 10:02 (2 min, in hours). Won on Wednesday.
  const l1 = await insertPerson(c, { club: leeds, owner: sam.id, createdAt: at('2026-03-02T09:59:00') });
  await inbound(c, l1, at('2026-03-02T10:00:00'));
  await outbound(c, l1, { at: at('2026-03-02T10:02:00'), actor: userActor(sam), status: 'delivered' });
  await setStage(c, l1, 'Joined', at('2026-03-04T15:00:00'));
  // L2 (Leeds, Sam): writes Mon 21:55, 5 minutes before closing; Sam answers Tue 06:05: 8h10m, 10 min in hours.
  const l2 = await insertPerson(c, { club: leeds, owner: sam.id, createdAt: at('2026-03-02T21:54:00') });
  await inbound(c, l2, at('2026-03-02T21:55:00'));
  await outbound(c, l2, { at: at('2026-03-03T06:05:00'), actor: userActor(sam), status: 'read' });
  await setStage(c, l2, 'Tour booked', at('2026-03-03T07:00:00'));
  // L3 (Leeds, Ria): writes Tue 12:00; an away reply and an automated template go first (neither counts); Ria
  // answers 12:30 (30 min). L3 writes again at 13:00: the template was replied to within 48 hours.
  const l3 = await insertPerson(c, { club: leeds, owner: ria.id, createdAt: at('2026-03-03T11:59:00') });
  await inbound(c, l3, at('2026-03-03T12:00:00'));
  await outbound(c, l3, { at: at('2026-03-03T12:00:30'), actor: away, status: 'delivered' });
  await outbound(c, l3, {
    at: at('2026-03-03T12:01:00'),
    actor: automation,
    status: 'read',
    template: 'welcome_offer',
    category: 'utility',
  });
  await outbound(c, l3, { at: at('2026-03-03T12:30:00'), actor: userActor(ria), status: 'sent' });
  await inbound(c, l3, at('2026-03-03T13:00:00'));
  await setStage(c, l3, 'Trial', at('2026-03-04T10:00:00'));
  // L4 (York, no hours, Ria): writes Wed 23:00, Ria answers Thu 00:04: 64 min, the same in business time.
  const l4 = await insertPerson(c, { club: york, owner: ria.id, createdAt: at('2026-03-04T22:59:00') });
  await inbound(c, l4, at('2026-03-04T23:00:00'));
  await outbound(c, l4, { at: at('2026-03-05T00:04:00'), actor: userActor(ria), status: 'delivered' });
  // L5 (Leeds, Sam): writes Thu 09:00; Sam's reply fails (131026), so L5 was never answered.
  const l5 = await insertPerson(c, { club: leeds, owner: sam.id, createdAt: at('2026-03-05T08:59:00') });
  await inbound(c, l5, at('2026-03-05T09:00:00'));
  await outbound(c, l5, {
    at: at('2026-03-05T09:01:00'),
    actor: userActor(sam),
    status: 'failed',
    error: { code: 131026, title: 'Message undeliverable' },
  });
  await setStage(c, l5, 'Not interested', at('2026-03-05T10:00:00'));
  // L6 (York, nobody's): added by the integration Fri 08:00, Mia answers 08:03 (3 min); a marketing template to
  // them fails (131049).
  const l6 = await insertPerson(c, {
    club: york,
    owner: null,
    createdAt: at('2026-03-06T08:00:00'),
    createdBy: { kind: 'api_key', id: 'key_x', name: 'web form' },
  });
  await outbound(c, l6, { at: at('2026-03-06T08:03:00'), actor: userActor(mia), status: 'delivered' });
  await outbound(c, l6, {
    at: at('2026-03-06T09:00:00'),
    actor: userActor(mia),
    status: 'failed',
    template: 'class_reminder',
    category: 'marketing',
    error: { code: 131049, title: 'Not delivered to keep engagement healthy' },
  });
  // L7 (Leeds, Ria): a February lead, answered then; joined on Tuesday of the report's week.
  const l7 = await insertPerson(c, { club: leeds, owner: ria.id, createdAt: at('2026-02-20T09:00:00') });
  await inbound(c, l7, at('2026-02-20T10:00:00'));
  await outbound(c, l7, { at: at('2026-02-20T10:01:00'), actor: userActor(ria), status: 'read' });
  await setStage(c, l7, 'Joined', at('2026-03-03T18:00:00'));
  // L8: a member writing in (no lead, no stage).
  const l8 = await insertPerson(c, {
    club: leeds,
    owner: null,
    createdAt: at('2025-01-01T00:00:00'),
    status: 'member',
  });
  await inbound(c, l8, at('2026-03-04T10:00:00'));
  return { company, leeds, york, sam, ria, mia, automationId, leads: { l1, l2, l3, l4, l5, l6, l7, l8 } };
}
