// A new API key, the one time it exists outside the integrator's hands: the server keeps only its hash and
// never returns it again. So: a warning, a copy button, and a Done that forgets it.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiKeyCreated } from '../../lib/api/settings';

export function ApiKeyShownOnce(props: { created: ApiKeyCreated; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Screen readers and keyboards land on the key, not on the form that made it.
  useEffect(() => headingRef.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.created.key);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <section class="secret" aria-labelledby="new-key-title" data-testid="new-api-key">
      <h2 id="new-key-title" tabIndex={-1} ref={headingRef}>
        New API key “{props.created.name}”
      </h2>
      <p>
        <strong>Copy it now: it is shown only once.</strong> ClubChat keeps only a fingerprint of it and cannot show it
        again. Whoever has it can read and message your people, so keep it out of emails and chats.
      </p>
      <label>
        API key
        <input
          readOnly
          value={props.created.key}
          spellcheck={false}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="new-api-key-value"
        />
      </label>
      <div class="row-buttons">
        <button type="button" class="primary" onClick={() => void copy()}>
          Copy key
        </button>
        <button type="button" onClick={props.onDone}>
          Done, I have copied it
        </button>
      </div>
      {copied === 'yes' && (
        <p role="status" class="small">
          Copied to the clipboard.
        </p>
      )}
      {copied === 'failed' && (
        <p role="alert" class="small">
          This browser did not let ClubChat copy it: select the key above and copy it by hand.
        </p>
      )}
    </section>
  );
}
