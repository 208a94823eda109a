// A template as the person will see it on WhatsApp: a received bubble with the header, the body with the
// sample values in place of its variables, the footer, and the buttons underneath. Renders with the worker's
// own renderTemplate, so the preview and the real send substitute the same way.
import { type ParameterFormat, renderTemplate, type TemplateComponent } from '#common/templates/components';
import './template-preview.css';

export interface TemplatePreviewProps {
  components: readonly TemplateComponent[];
  parameterFormat: ParameterFormat;
  /** Value per variable name ("1", "first_name", positional header "header.1"); a missing one stays {{n}}. */
  values: Readonly<Record<string, string>>;
  /** Authentication templates have no body text of their own: Meta writes it. */
  category?: string;
  caption?: string;
  /** A photo header's picture (a URL), drawn above the text; other media headers show their kind. */
  headerMedia?: string;
}

const MEDIA_WORDS: Record<string, string> = { IMAGE: '🖼 Photo', VIDEO: '🎬 Video', DOCUMENT: '📄 Document' };

const BUTTON_ICONS: Record<string, string> = { URL: '↗', PHONE_NUMBER: '✆', QUICK_REPLY: '↩' };

const filled = (values: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''));

export function TemplatePreview({
  components,
  parameterFormat,
  values,
  category,
  caption,
  headerMedia,
}: TemplatePreviewProps) {
  const rendered = renderTemplate(components, parameterFormat, filled(values));
  const mediaFormat = (components.find((c) => c.type === 'HEADER')?.format ?? 'TEXT').toUpperCase();
  const ownText = components.find((c) => c.type === 'BODY')?.text?.trim();
  const header = rendered.header;
  // renderTemplate stands Meta's authentication wording in for a missing body; a draft's is simply not written yet.
  const body = ownText || category === 'AUTHENTICATION' ? rendered.body : '';
  const footer = components.find((c) => c.type === 'FOOTER')?.text;
  const buttons = components.find((c) => c.type === 'BUTTONS')?.buttons ?? [];
  return (
    <figure class="tpl-preview" aria-label="Preview">
      <div class="tpl-chat">
        <div class="tpl-bubble" data-testid="template-bubble">
          {mediaFormat === 'IMAGE' && headerMedia ? (
            <img class="tpl-media" src={headerMedia} alt="The header" />
          ) : (
            MEDIA_WORDS[mediaFormat] && <p class="tpl-media tpl-media-kind">{MEDIA_WORDS[mediaFormat]}</p>
          )}
          {header && <p class="tpl-header">{header}</p>}
          <p class={body.trim() ? 'tpl-body' : 'tpl-body muted'}>{body.trim() ? body : 'The body appears here'}</p>
          {footer && <p class="tpl-footer">{footer}</p>}
        </div>
        {buttons.length > 0 && (
          <ul class="tpl-buttons" aria-label="Buttons">
            {buttons.map((b, i) => (
              <li key={`${i}-${b.type}`} class="tpl-button">
                <span aria-hidden="true">{BUTTON_ICONS[b.type] ?? '•'}</span> {b.text || b.type}
              </li>
            ))}
          </ul>
        )}
      </div>
      <figcaption class="muted small">{caption ?? 'As the person sees it on WhatsApp'}</figcaption>
    </figure>
  );
}
