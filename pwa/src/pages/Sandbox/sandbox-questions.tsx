// Sandbox mode: answer the reply buttons or lists the gym sent, as the person would by tapping one. The reply
// reaches the gym through the simulator's signed webhook, with Meta's context naming the question.
import { useEffect, useState } from 'preact/hooks';
import { type SandboxQuestion, sandboxAnswer, sandboxQuestions } from '../../lib/api/sandbox';
import { refusalText } from '../../lib/use-whatsapp-send';

export function SandboxQuestions() {
  const [questions, setQuestions] = useState<SandboxQuestion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let live = true;
    sandboxQuestions()
      .then((q) => live && setQuestions(q))
      .catch((err: unknown) => live && setError(refusalText(err)));
    return () => {
      live = false;
    };
  }, [reloads]);

  const answer = async (q: SandboxQuestion, choice: { id: string; title: string }) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      await sandboxAnswer(q.wamid, choice.id);
      setResult(`+${q.to.replace(/^\+/, '')} chose “${choice.title}”`);
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="stack" aria-labelledby="sandbox-questions">
      <div class="row-buttons">
        <h2 id="sandbox-questions">Answer buttons or a list</h2>
        <button type="button" disabled={busy} onClick={() => setReloads((n) => n + 1)}>
          Refresh
        </button>
      </div>
      {questions === null && !error && <p class="muted small">Loading…</p>}
      {questions?.length === 0 && (
        <p class="muted small">No buttons or lists sent yet: send one from a conversation (☷ beside the text box).</p>
      )}
      {questions?.map((q) => (
        <article class="card" key={q.wamid} aria-label={`Question to +${q.to.replace(/^\+/, '')}`}>
          <p class="small muted">
            To +{q.to.replace(/^\+/, '')} · {q.kind === 'button' ? 'reply buttons' : 'list'}
          </p>
          <p>{q.body}</p>
          <div class="row-buttons">
            {q.choices.map((c) => (
              <button type="button" key={c.id} disabled={busy} title={c.description} onClick={() => void answer(q, c)}>
                {c.title}
              </button>
            ))}
          </div>
        </article>
      ))}
      {result && (
        <p role="status" class="ok">
          {result}
        </p>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </section>
  );
}
