// The composer's builder for reply buttons, a list or a link button: what the form holds, the Meta object it
// makes, and Meta's rules in words per field (#common/interactive/interactive-rules, which the server applies
// too), so a mistake shows under its field as it is typed, before anything is sent.
import {
  INTERACTIVE_LIMITS,
  type Interactive,
  type InteractiveType,
  interactiveProblems,
} from '#common/interactive/interactive-rules';
import { formatPath } from '#common/templates/template-rules';

export interface BuilderRow {
  title: string;
  description: string;
}
export interface BuilderSection {
  title: string;
  rows: BuilderRow[];
}

export interface BuilderState {
  kind: InteractiveType;
  header: string;
  body: string;
  footer: string;
  buttons: string[];
  listButton: string;
  sections: BuilderSection[];
  linkText: string;
  url: string;
}

export const emptyRow = (): BuilderRow => ({ title: '', description: '' });

export function emptyBuilder(body = ''): BuilderState {
  return {
    kind: 'button',
    header: '',
    body,
    footer: '',
    buttons: ['', ''],
    listButton: 'Choose',
    sections: [{ title: '', rows: [emptyRow(), emptyRow()] }],
    linkText: '',
    url: 'https://',
  };
}

/** Ids the person's answer comes back with: by position, so two similar titles can never share one. */
const buttonId = (i: number) => `button-${i + 1}`;
const rowId = (si: number, ri: number) => `row-${si + 1}-${ri + 1}`;

/** The Meta object the form stands for (optional parts left out when empty). */
export function toInteractive(s: BuilderState): Interactive {
  const body = { text: s.body.trim() };
  const footer = s.footer.trim() ? { footer: { text: s.footer.trim() } } : {};
  const header = s.header.trim() ? { header: { type: 'text' as const, text: s.header.trim() } } : {};
  if (s.kind === 'button')
    return {
      type: 'button',
      ...header,
      body,
      ...footer,
      action: {
        buttons: s.buttons.map((title, i) => ({ type: 'reply', reply: { id: buttonId(i), title: title.trim() } })),
      },
    };
  if (s.kind === 'list')
    return {
      type: 'list',
      ...header,
      body,
      ...footer,
      action: {
        button: s.listButton.trim(),
        sections: s.sections.map((sec, si) => ({
          // One section needs no title; several each need one (the rules say so under the field).
          ...(sec.title.trim() || s.sections.length > 1 ? { title: sec.title.trim() } : {}),
          rows: sec.rows.map((r, ri) => ({
            id: rowId(si, ri),
            title: r.title.trim(),
            ...(r.description.trim() ? { description: r.description.trim() } : {}),
          })),
        })),
      },
    };
  return {
    type: 'cta_url',
    ...header,
    body,
    ...footer,
    action: { name: 'cta_url', parameters: { display_text: s.linkText.trim(), url: s.url.trim() } },
  };
}

/** A saved question (a quick reply's) back in the form, to check and send. */
export function fromInteractive(m: Interactive): BuilderState {
  const base = {
    ...emptyBuilder(m.body.text),
    kind: m.type,
    header: m.header?.type === 'text' ? m.header.text : '',
    footer: m.footer?.text ?? '',
  };
  if (m.type === 'button') return { ...base, buttons: m.action.buttons.map((b) => b.reply.title) };
  if (m.type === 'list')
    return {
      ...base,
      listButton: m.action.button,
      sections: m.action.sections.map((s) => ({
        title: s.title ?? '',
        rows: s.rows.map((r) => ({ title: r.title, description: r.description ?? '' })),
      })),
    };
  return { ...base, linkText: m.action.parameters.display_text, url: m.action.parameters.url };
}

/** Meta's rules broken by the form, by field (the object's path, e.g. `action.buttons[1].reply.title`). */
export function builderProblems(s: BuilderState): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of interactiveProblems(toInteractive(s))) {
    // Ids are made by position (never typed), so a rule about ids never applies to the form.
    const key = formatPath(p.path);
    if (!out.has(key)) out.set(key, p.message);
  }
  return out;
}

/** Rows in all sections together: Meta allows 10 in one list. */
export const rowCount = (s: BuilderState): number => s.sections.reduce((n, sec) => n + sec.rows.length, 0);

export const LIMITS = INTERACTIVE_LIMITS;
