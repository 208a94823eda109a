// Meta's `interactive` object (reply buttons, a list, a link button) as zod: the send route, the graph client's
// wire schema and the simulator all check it with this one schema, so what we accept is what Meta accepts. The
// shape is zod's; the limits, counts and uniqueness are Meta's rules in #common/interactive/interactive-rules,
// added as issues at their exact path (the staff app's builder applies the same rules as you type).
import { z } from '@hono/zod-openapi';
import { type Interactive, type InteractiveProblem, interactiveProblems } from '#common/interactive/interactive-rules';

const required = (what: string) => ({
  error: (i: { input: unknown }) => (i.input === undefined ? `${what} is required` : undefined),
});

const textOf = (what: string) => z.strictObject({ text: z.string(required(what)) }, required(what));

const media = z.union([z.strictObject({ id: z.string().min(1) }), z.strictObject({ link: z.string().min(1) })]);

const header = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('text'), text: z.string(required('the header text')) }),
    z.strictObject({ type: z.literal('image'), image: media }),
    z.strictObject({ type: z.literal('video'), video: media }),
    z.strictObject({
      type: z.literal('document'),
      document: z.union([
        z.strictObject({ id: z.string().min(1), filename: z.string().max(240).optional() }),
        z.strictObject({ link: z.string().min(1), filename: z.string().max(240).optional() }),
      ]),
    }),
  ],
  { error: 'a header is text, image, video or document' },
);

const common = {
  body: textOf('body'),
  footer: z.strictObject({ text: z.string() }).optional(),
};

// Arrays are bounded well above Meta's counts so a huge body is refused by shape before the rules walk it; the
// rules then name the first item over Meta's limit ("at most 3 buttons").
const buttonSchema = z.strictObject({
  type: z.literal('reply', { error: 'a reply button has type "reply"' }),
  reply: z.strictObject({ id: z.string(), title: z.string() }),
});

const rowSchema = z.strictObject({ id: z.string(), title: z.string(), description: z.string().optional() });

const shape = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('button'),
      header: header.optional(),
      ...common,
      action: z.strictObject({ buttons: z.array(buttonSchema).max(50) }, required('action')),
    }),
    z.strictObject({
      type: z.literal('list'),
      header: z
        .strictObject({ type: z.literal('text', { error: "a list's header can only be text" }), text: z.string() })
        .optional(),
      ...common,
      action: z.strictObject(
        {
          button: z.string(required('the list button text')),
          sections: z.array(z.strictObject({ title: z.string().optional(), rows: z.array(rowSchema).max(50) })).max(50),
        },
        required('action'),
      ),
    }),
    z.strictObject({
      type: z.literal('cta_url'),
      header: header.optional(),
      ...common,
      action: z.strictObject(
        {
          name: z.literal('cta_url'),
          parameters: z.strictObject({ display_text: z.string(), url: z.string() }),
        },
        required('action'),
      ),
    }),
  ],
  { error: 'type must be "button", "list" or "cta_url"' },
);

/** Adds each of Meta's rules that `m` breaks as an issue at its path. */
function refineInteractive(m: Interactive, ctx: z.RefinementCtx): void {
  for (const p of interactiveProblems(m) as InteractiveProblem[])
    ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
}

export const interactiveSchema = shape.superRefine(refineInteractive).openapi('Interactive', {
  description:
    "Meta's interactive object: `button` (1 to 3 reply buttons, titles up to 20 characters, ids unique), `list` (a " +
    'button text up to 20, up to 10 sections with up to 10 rows in all; row titles up to 24, descriptions up to 72; ' +
    'a section title on each when there are several) or `cta_url` (display_text up to 20 and an https url). Body ' +
    'text up to 1,024 characters, header text and footer up to 60.',
  example: {
    type: 'button',
    body: { text: 'Which day suits you for a tour?' },
    action: {
      buttons: [
        { type: 'reply', reply: { id: 'mon', title: 'Mon' } },
        { type: 'reply', reply: { id: 'tue', title: 'Tue' } },
        { type: 'reply', reply: { id: 'wed', title: 'Wed' } },
      ],
    },
  },
});

// The schema's output is the common type, field for field; this fails to compile if the two drift apart.
const _sameShape: (v: z.infer<typeof interactiveSchema>) => Interactive = (v) => v;
void _sameShape;
