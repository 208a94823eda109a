// The composer wired for one person, the same wherever it opens (a conversation, the profile's New WhatsApp):
// its mode from the person's state (composer-mode.ts), the approved templates once a template is needed, and
// the server's values for the template chosen.
import { uploadMedia } from '../../lib/api/media';
import type { PersonDetail } from '../../lib/api/people';
import { previewTemplate } from '../../lib/api/templates';
import { now } from '../../lib/clock';
import { whatsappEnabled } from '../../lib/session';
import { useTemplates } from '../template-picker/use-templates';
import { Composer, type ComposerProps } from './composer';
import { type ComposerMode, composerMode } from './composer-mode';

/** What the rules allow with this person now (the clock and the session are signals: read at each render). */
export const personComposerMode = (person: PersonDetail): ComposerMode =>
  composerMode({
    whatsappEnabled: whatsappEnabled.value,
    optedOut: person.whatsapp_opted_out,
    erased: person.erased_at !== null,
    windowExpiresAt: person.whatsapp.window_expires_at,
    now: now.value,
  });

export interface PersonComposerProps {
  person: PersonDetail;
  onSend: ComposerProps['onSend'];
  onSendMedia?: ComposerProps['onSendMedia'];
  /** Focus the text box on open (Reply from the profile). */
  autoFocus?: boolean;
}

export function PersonComposer({ person, onSend, onSendMedia, autoFocus }: PersonComposerProps) {
  const mode = personComposerMode(person);
  const { templates, error } = useTemplates(mode.kind === 'template');
  return (
    <Composer
      mode={mode}
      windowExpiresAt={person.whatsapp.window_expires_at}
      now={now.value}
      person={person}
      templates={templates}
      templatesError={error}
      autoFocus={autoFocus}
      loadPreview={(t) => previewTemplate(t.id, person.id)}
      uploadHeader={(file) => uploadMedia(file, { personId: person.id }).then((u) => u.id)}
      onSend={onSend}
      onSendMedia={onSendMedia}
    />
  );
}
