// Sandbox mode only: play the customer, so the whole loop can be seen without a Meta account.
import { useState } from 'preact/hooks';
import { sandboxInbound } from '../../lib/api/sandbox';
import { me } from '../../lib/session';
import { refusalText } from '../../lib/use-whatsapp-send';
import { AppHeader } from '../app-header';
import { SandboxQuestions } from './sandbox-questions';

const DEMO_NUMBERS = ['+447412345601', '+447412345602', '+447412345603', '+447412345604'];

export function SandboxPage() {
  const [from, setFrom] = useState(DEMO_NUMBERS[0] ?? '');
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  // As if the person tapped a click-to-WhatsApp ad: the message carries the simulator's demo ad (its referral).
  const [fromAd, setFromAd] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  if (!me.value?.sandbox)
    return (
      <div class="page">
        <AppHeader title="Sandbox" back="/" />
        <p class="center muted">The sandbox is only available when the Meta simulator runs (sandbox mode).</p>
      </div>
    );

  const send = async (body: string) => {
    setBusy(true);
    setResult(null);
    try {
      await sandboxInbound({
        from,
        text: body,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(fromAd ? { from_ad: true } : {}),
      });
      setResult({ ok: true, text: `Sent “${body}” from ${from}${fromAd ? ', as if from an ad' : ''}` });
      if (body === text) setText('');
    } catch (err) {
      setResult({ ok: false, text: refusalText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <AppHeader title="Sandbox" back="/" />
      <main class="stack pad">
        <p class="muted small">
          Play the customer: this sends a WhatsApp message to the gym through the Meta simulator. A number the gym does
          not know becomes a new lead; STOP opts the person out and START opts them back in.
        </p>
        <form
          class="stack"
          aria-label="Play the customer"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) void send(text.trim());
          }}
        >
          <label>
            From (any number, E.164)
            <input list="demo-numbers" inputMode="tel" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
            <datalist id="demo-numbers">
              {DEMO_NUMBERS.map((n) => (
                <option key={n} value={n} />
              ))}
            </datalist>
          </label>
          <label>
            WhatsApp profile name (optional)
            <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label>
            Message
            <textarea rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          </label>
          <label class="check">
            <input type="checkbox" checked={fromAd} onChange={(e) => setFromAd(e.currentTarget.checked)} />
            As if from an ad (the message carries a demo click-to-WhatsApp ad)
          </label>
          <div class="row-buttons">
            <button type="submit" class="primary" disabled={busy || !text.trim()}>
              Send as customer
            </button>
            <button type="button" disabled={busy} onClick={() => void send('STOP')}>
              Send STOP
            </button>
            <button type="button" disabled={busy} onClick={() => void send('START')}>
              Send START
            </button>
          </div>
        </form>
        {result && (
          <p role={result.ok ? 'status' : 'alert'} class={result.ok ? 'ok' : 'error'}>
            {result.text}
          </p>
        )}
        <SandboxQuestions />
      </main>
    </div>
  );
}
