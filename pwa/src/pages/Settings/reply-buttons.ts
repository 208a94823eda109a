// Reply buttons typed as one line ("Mon / Tue / Wed") for the things that may ask with them: quick replies and a
// club's away reply. Meta's rules (#common/interactive/interactive-rules, the server's too) say what is wrong in
// words before anything is saved.
import {
  INTERACTIVE_LIMITS,
  type Interactive,
  interactiveProblems,
  replyButtons,
} from '#common/interactive/interactive-rules';

/** What a saved question offers, in a line: "Mon / Tue / Wed", "a list (5 rows)", "a link: See timetable". */
export function askedWith(m: Interactive): string {
  if (m.type === 'button') return m.action.buttons.map((b) => b.reply.title).join(' / ');
  if (m.type === 'list') return `a list (${m.action.sections.reduce((n, s) => n + s.rows.length, 0)} rows)`;
  return `a link: ${m.action.parameters.display_text}`;
}

/** "Mon / Tue / Wed" -> the titles, as typed (empty parts dropped). */
export const buttonTitles = (typed: string): string[] =>
  typed
    .split('/')
    .map((t) => t.trim())
    .filter(Boolean);

/** The question a quick reply asks with: reply buttons under its text (none when no titles are typed). */
export function quickReplyButtons(text: string, typed: string): Interactive | null {
  const titles = buttonTitles(typed);
  if (titles.length === 0) return null;
  return { type: 'button', body: { text: text.trim() }, action: { buttons: replyButtons(titles) } };
}

/** Meta's rules for those buttons, in words ("“Monday the 14th!”: at most 20 characters"); null when they hold. */
export function buttonsProblem(text: string, typed: string): string | null {
  const asked = quickReplyButtons(text || 'x', typed);
  if (asked?.type !== 'button') return null;
  // Each button's id is its title here, so a rule about ids says nothing a title rule does not.
  const problem = interactiveProblems(asked).find(
    (p) => (p.path[0] === 'action' || p.path[0] === 'body') && p.path.at(-1) !== 'id',
  );
  if (!problem) return null;
  const index = problem.path[2];
  const title = typeof index === 'number' ? asked.action.buttons[index]?.reply.title : undefined;
  if (problem.path[1] === 'buttons' && problem.path.length === 3) return `Up to ${INTERACTIVE_LIMITS.buttons} buttons`;
  if (problem.path[0] === 'body') return `The text: ${problem.message}, when it asks with buttons`;
  // A limit names the title at fault; a repeated title already names itself.
  return title === undefined || problem.message.includes(`"${title}"`)
    ? problem.message
    : `“${title}”: ${problem.message}`;
}
