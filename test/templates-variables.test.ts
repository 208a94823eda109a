import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { PersonField } from '#common/person-fields';
import { renderTemplate, templateVariables } from '#common/templates/components';
import { getDb } from '../worker/db/client';
import { type companies, type people, templates } from '../worker/db/schema';
import { newId } from '../worker/ids';
import { templateParamsProblem } from '../worker/whatsapp/policy';
import { findTemplate, findTemplateById, findTemplateByMetaId } from '../worker/whatsapp/templates/store';
import { formatDate, resolveSource, resolveTemplateParams } from '../worker/whatsapp/templates/variables';
import { makeCompany } from './helpers/fixtures';

const person = (over: Partial<typeof people.$inferSelect> = {}): typeof people.$inferSelect => ({
  id: 'per_1',
  companyId: 'com_1',
  firstName: 'Sheena',
  lastName: 'Nelson',
  phone: '+447412345678',
  waId: null,
  email: 'sheena@example.com',
  saleType: 'membership',
  status: 'member',
  membershipStart: '2025-03-01',
  membershipEnd: '2025-09-30',
  dateOfBirth: '1990-12-05',
  smsOptedOut: false,
  whatsappOptedOut: false,
  whatsappMarketingStopped: false,
  whatsappLastInboundAt: null,
  whatsappLastReadAt: null,
  ownerUserId: null,
  clubId: null,
  lastNumberId: null,
  stageId: null,
  stageChangedAt: null,
  leadAt: null,
  firstReplyAt: null,
  firstReplyBy: null,
  wonAt: null,
  adSourceId: null,
  adLeadAt: null,
  leadSourceFirst: null,
  leadSourceLatest: null,
  whatsappKeywordAt: null,
  erasedAt: null,
  createdBy: null,
  hasConversation: false,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});
const company = { name: 'Demo Gym' } as typeof companies.$inferSelect;

describe('variable sources', () => {
  it.each<[PersonField, string | null]>([
    ['first_name', 'Sheena'],
    ['last_name', 'Nelson'],
    ['full_name', 'Sheena Nelson'],
    ['phone', '+447412345678'],
    ['email', 'sheena@example.com'],
    ['membership_start', '1 March 2025'],
    ['membership_end', '30 September 2025'],
    ['date_of_birth', '5 December 1990'],
    ['company_name', 'Demo Gym'],
  ])('%s reads %s for en_GB', (field, expected) => {
    expect(resolveSource(field, person(), company, 'en_GB')).toBe(expected);
  });

  it('writes dates the way the language does, never shifted by a timezone', () => {
    expect(formatDate('2025-09-30', 'en_US')).toBe('September 30, 2025');
    expect(formatDate('2025-09-30', 'es')).toBe('30 de septiembre de 2025');
    expect(formatDate('2025-01-01', 'en_GB')).toBe('1 January 2025');
    expect(formatDate('not a date', 'en_GB')).toBeNull();
  });

  it('answers null for a field the person lacks, and a full name without a missing last name', () => {
    const p = person({ lastName: null, email: null, membershipEnd: null, dateOfBirth: null });
    expect(resolveSource('last_name', p, company, 'en_GB')).toBeNull();
    expect(resolveSource('email', p, company, 'en_GB')).toBeNull();
    expect(resolveSource('membership_end', p, company, 'en_GB')).toBeNull();
    expect(resolveSource('date_of_birth', p, company, 'en_GB')).toBeNull();
    expect(resolveSource('full_name', p, company, 'en_GB')).toBe('Sheena');
  });

  it('gives fixed text as it is', () => {
    expect(resolveSource({ text: '20% off' }, person(), company, 'en_GB')).toBe('20% off');
  });
});

describe('template params', () => {
  const positional = {
    variables: ['1', '2'],
    parameterFormat: 'POSITIONAL' as const,
    variableMap: {},
    language: 'en_GB',
  };
  const named = {
    variables: ['first_name', 'offer'],
    parameterFormat: 'NAMED' as const,
    variableMap: {},
    language: 'en_GB',
  };

  it('fills positional variables from an array, in order', () => {
    expect(resolveTemplateParams(positional, ['Sheena', 'Yoga'], person(), company)).toEqual({
      ok: true,
      values: { '1': 'Sheena', '2': 'Yoga' },
    });
  });

  it('names a missing variable and an extra position', () => {
    expect(resolveTemplateParams(positional, ['Sheena'], person(), company)).toEqual({
      ok: false,
      missing: ['2'],
      extra: [],
    });
    expect(resolveTemplateParams(positional, ['a', 'b', 'c'], person(), company)).toEqual({
      ok: false,
      missing: [],
      extra: ['#3'],
    });
  });

  it('takes the rest from the variable map when params are left out', () => {
    const t = { ...positional, variableMap: { '1': 'first_name' as const, '2': { text: 'Spin' } } };
    expect(resolveTemplateParams(t, undefined, person(), company)).toEqual({
      ok: true,
      values: { '1': 'Sheena', '2': 'Spin' },
    });
    // An explicit param wins over the map.
    expect(resolveTemplateParams(t, { '2': 'Yoga' }, person(), company)).toEqual({
      ok: true,
      values: { '1': 'Sheena', '2': 'Yoga' },
    });
  });

  it('maps a NAMED variable named for a person field, and reports one the person lacks', () => {
    expect(resolveTemplateParams(named, { offer: '10%' }, person(), company)).toEqual({
      ok: true,
      values: { first_name: 'Sheena', offer: '10%' },
    });
    expect(resolveTemplateParams(named, undefined, person(), company)).toEqual({
      ok: false,
      missing: ['offer'],
      extra: [],
    });
    const t = { ...named, variables: ['last_name'] };
    expect(resolveTemplateParams(t, undefined, person({ lastName: null }), company)).toMatchObject({
      missing: ['last_name'],
    });
  });

  it('refuses a named param the template does not have', () => {
    const r = resolveTemplateParams(named, { offer: 'x', colour: 'red' }, person(), company);
    expect(r).toEqual({ ok: false, missing: [], extra: ['colour'] });
    if (!r.ok) expect(templateParamsProblem(r)).toContain('colour');
  });
});

describe('template components', () => {
  it('lists body variables in number order, then a positional header as header.1, and renders both', () => {
    const components = [
      { type: 'HEADER' as const, format: 'TEXT', text: 'For {{1}}' },
      { type: 'BODY' as const, text: 'Hi {{1}}, your {{2}} class is at {{3}}.' },
    ];
    const vars = templateVariables(components, 'POSITIONAL');
    expect(vars).toEqual(['1', '2', '3', 'header.1']);
    const values = { '1': 'Sheena', '2': 'Spin', '3': '6pm', 'header.1': 'you' };
    expect(renderTemplate(components, 'POSITIONAL', values)).toEqual({
      header: 'For you',
      body: 'Hi Sheena, your Spin class is at 6pm.',
    });
  });

  it('shares a NAMED name between header and body', () => {
    const components = [
      { type: 'HEADER' as const, format: 'TEXT', text: 'Hello {{first_name}}' },
      { type: 'BODY' as const, text: 'Dear {{first_name}}, {{offer}} today.' },
    ];
    expect(templateVariables(components, 'NAMED')).toEqual(['first_name', 'offer']);
  });
});

describe('template store', () => {
  it('loads a template by name and language, by id, and by Meta id given as a number', async () => {
    const c = await makeCompany();
    const db = getDb(env);
    const id = newId('tpl');
    await db.insert(templates).values({
      id,
      companyId: c.id,
      name: 'renewal',
      language: 'en_GB',
      category: 'UTILITY',
      status: 'APPROVED',
      metaId: '1689556908129832',
      components: [{ type: 'BODY', text: 'Hi {{1}}!' }],
      variables: ['1'],
      variableMap: { '1': 'first_name' },
    });
    const byName = await findTemplate(db, c.id, 'renewal', 'en_GB');
    expect(byName).toMatchObject({ id, status: 'APPROVED', variables: ['1'], variableMap: { '1': 'first_name' } });
    expect((await findTemplateById(db, c.id, id))?.name).toBe('renewal');
    expect((await findTemplateByMetaId(db, c.id, 1689556908129832))?.id).toBe(id);
    expect(await findTemplate(db, c.id, 'renewal', 'en_US')).toBeUndefined();
    const other = await makeCompany();
    expect(await findTemplateById(db, other.id, id)).toBeUndefined();
  });
});
