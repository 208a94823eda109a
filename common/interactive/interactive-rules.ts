// Meta's rules for interactive messages (reply buttons, lists, a link button) as plain functions, no zod and no
// I/O: the worker's request schema (worker/whatsapp/meta/interactive-schema.ts) adds each problem as an issue at
// its path, and the staff app's builder shows the same words under the field as you type. Limits from Meta:
// https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
// https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages
// https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-cta-url-messages

export const INTERACTIVE_LIMITS = {
  body: 1024,
  header: 60,
  footer: 60,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButton: 20,
  sections: 10,
  rows: 10,
  sectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  displayText: 20,
  /** Meta does not publish one; links longer than this are not typed by a person. */
  url: 2000,
} as const;

export const INTERACTIVE_TYPES = ['button', 'list', 'cta_url'] as const;
export type InteractiveType = (typeof INTERACTIVE_TYPES)[number];

/** A header's media: an uploaded media id or a public https link. */
export type InteractiveMedia = { id: string; link?: undefined } | { link: string; id?: undefined };

export type InteractiveHeader =
  | { type: 'text'; text: string }
  | { type: 'image'; image: InteractiveMedia }
  | { type: 'video'; video: InteractiveMedia }
  | { type: 'document'; document: InteractiveMedia & { filename?: string } };

export interface ReplyButton {
  type: 'reply';
  reply: { id: string; title: string };
}
export interface ListRow {
  id: string;
  title: string;
  description?: string;
}
export interface ListSection {
  title?: string;
  rows: ListRow[];
}

interface Common {
  body: { text: string };
  footer?: { text: string };
}

/** Meta's `interactive` object, for the three kinds ClubChat sends. */
export type Interactive =
  | (Common & { type: 'button'; header?: InteractiveHeader; action: { buttons: ReplyButton[] } })
  | (Common & {
      type: 'list';
      /** A list's header can only be text. */
      header?: { type: 'text'; text: string };
      action: { button: string; sections: ListSection[] };
    })
  | (Common & {
      type: 'cta_url';
      header?: InteractiveHeader;
      action: { name: 'cta_url'; parameters: { display_text: string; url: string } };
    });

type Path = (string | number)[];
export interface InteractiveProblem {
  /** From the interactive object down, e.g. ['action', 'buttons', 3]. */
  path: Path;
  message: string;
}

function text(value: string, max: number, what: string, at: Path, out: InteractiveProblem[]): void {
  if (value.trim() === '') out.push({ path: at, message: `${what} cannot be empty` });
  else if (value.length > max) out.push({ path: at, message: `at most ${max} characters (${value.length} given)` });
}

/** Ids and titles a person taps must differ: Meta refuses two buttons with the same id or title. */
function unique(values: string[], at: (i: number) => Path, what: string, out: InteractiveProblem[]): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) out.push({ path: at(i), message: `${what} "${v}" is used twice: each must be different` });
    seen.add(v);
  });
}

function checkHeader(h: InteractiveHeader, out: InteractiveProblem[]): void {
  if (h.type === 'text') {
    text(h.text, INTERACTIVE_LIMITS.header, 'the header', ['header', 'text'], out);
    return;
  }
  const media: InteractiveMedia = h.type === 'image' ? h.image : h.type === 'video' ? h.video : h.document;
  if (media.link !== undefined && !isHttpsUrl(media.link))
    out.push({ path: ['header', h.type, 'link'], message: 'a link must be a full https:// address' });
}

function checkButtons(buttons: ReplyButton[], out: InteractiveProblem[]): void {
  const L = INTERACTIVE_LIMITS;
  if (buttons.length === 0) out.push({ path: ['action', 'buttons'], message: 'add at least one button' });
  buttons.forEach((b, i) => {
    const at: Path = ['action', 'buttons', i];
    if (i >= L.buttons) out.push({ path: at, message: `at most ${L.buttons} buttons` });
    text(b.reply.title, L.buttonTitle, 'a button title', [...at, 'reply', 'title'], out);
    text(b.reply.id, L.buttonId, 'a button id', [...at, 'reply', 'id'], out);
  });
  unique(
    buttons.map((b) => b.reply.id),
    (i) => ['action', 'buttons', i, 'reply', 'id'],
    'the button id',
    out,
  );
  unique(
    buttons.map((b) => b.reply.title.trim()),
    (i) => ['action', 'buttons', i, 'reply', 'title'],
    'the button title',
    out,
  );
}

function checkList(action: { button: string; sections: ListSection[] }, out: InteractiveProblem[]): void {
  const L = INTERACTIVE_LIMITS;
  text(action.button, L.listButton, 'the list button', ['action', 'button'], out);
  const { sections } = action;
  if (sections.length === 0) out.push({ path: ['action', 'sections'], message: 'add at least one section' });
  let rowCount = 0;
  const ids: { id: string; at: Path }[] = [];
  sections.forEach((s, si) => {
    const at: Path = ['action', 'sections', si];
    if (si >= L.sections) out.push({ path: at, message: `at most ${L.sections} sections` });
    // With one section the title is optional; with several, each needs one so the person can tell them apart.
    if (s.title !== undefined) text(s.title, L.sectionTitle, 'a section title', [...at, 'title'], out);
    else if (sections.length > 1)
      out.push({ path: [...at, 'title'], message: 'a list with several sections needs a title on each' });
    if (s.rows.length === 0) out.push({ path: [...at, 'rows'], message: 'a section needs at least one row' });
    s.rows.forEach((r, ri) => {
      const rowAt: Path = [...at, 'rows', ri];
      rowCount++;
      if (rowCount === L.rows + 1)
        out.push({ path: rowAt, message: `at most ${L.rows} rows in all sections together` });
      text(r.title, L.rowTitle, 'a row title', [...rowAt, 'title'], out);
      text(r.id, L.rowId, 'a row id', [...rowAt, 'id'], out);
      if (r.description !== undefined && r.description.length > L.rowDescription)
        out.push({
          path: [...rowAt, 'description'],
          message: `at most ${L.rowDescription} characters (${r.description.length} given)`,
        });
      ids.push({ id: r.id, at: [...rowAt, 'id'] });
    });
  });
  const seen = new Set<string>();
  for (const { id, at } of ids) {
    if (seen.has(id)) out.push({ path: at, message: `the row id "${id}" is used twice: each must be different` });
    seen.add(id);
  }
}

export function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** Every rule of Meta's this interactive object breaks, each at its path; none when it may be sent. */
export function interactiveProblems(m: Interactive): InteractiveProblem[] {
  const out: InteractiveProblem[] = [];
  const L = INTERACTIVE_LIMITS;
  if (m.header) checkHeader(m.header, out);
  text(m.body.text, L.body, 'the message', ['body', 'text'], out);
  if (m.footer) text(m.footer.text, L.footer, 'the footer', ['footer', 'text'], out);
  if (m.type === 'button') checkButtons(m.action.buttons, out);
  else if (m.type === 'list') checkList(m.action, out);
  else {
    const p = m.action.parameters;
    text(p.display_text, L.displayText, 'the link button', ['action', 'parameters', 'display_text'], out);
    if (!isHttpsUrl(p.url))
      out.push({ path: ['action', 'parameters', 'url'], message: 'a link must be a full https:// address' });
    else if (p.url.length > L.url)
      out.push({ path: ['action', 'parameters', 'url'], message: `at most ${L.url} characters` });
  }
  return out;
}

/** What a person can choose in it: the buttons' or the rows' ids and titles (a link button has none). */
export function interactiveChoices(m: Interactive): { id: string; title: string; description?: string }[] {
  if (m.type === 'button') return m.action.buttons.map((b) => ({ id: b.reply.id, title: b.reply.title }));
  if (m.type === 'list') return m.action.sections.flatMap((s) => s.rows);
  return [];
}

/** Reply buttons from titles alone (quick replies, away replies): each title is its own id. */
export function replyButtons(titles: readonly string[]): ReplyButton[] {
  return titles.map((title) => ({ type: 'reply', reply: { id: title.trim(), title: title.trim() } }));
}
