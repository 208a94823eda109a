// Settings > WhatsApp (admins): connect the gym's number with Meta's Embedded Signup. The dialog (Facebook's, or the
// simulator's stand-in in sandbox mode) gives a code and the number; the server then runs its steps, shown here as
// they complete, a failure in words with Resume (which goes on from the failed step without the dialog while
// Facebook's code or token is still valid). Loaded as a full page: only this path's CSP allows Facebook's SDK.

import { useEffect, useRef, useState } from 'preact/hooks';
import { SIGNUP_PIN, SIGNUP_STEP_LABELS } from '#common/whatsapp-signup';
import { LoadState } from '../../components/load-state/load-state';
import {
  getSignupState,
  resumeSignup,
  type Signup,
  type SignupLauncher,
  type SignupState,
  startSignup,
} from '../../lib/api/signup';
import { facebookAllowedHere, loadFacebookSdk, openSignupDialog } from '../../lib/embedded-signup';
import { businessNumber } from '../../lib/format';
import { useClubs } from '../../lib/use-clubs';
import { errorText, useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { ConnectionCard } from './connection-card';

type Phase = 'idle' | 'dialog' | 'running';

const STATE_MARK: Record<Signup['steps'][number]['state'], string> = {
  done: '✓',
  running: '…',
  failed: '✗',
  pending: '○',
};
const STATE_WORDS: Record<Signup['steps'][number]['state'], string> = {
  done: 'done',
  running: 'in progress',
  failed: 'failed',
  pending: 'not yet',
};

/** The steps of a signup, or (before the server answers) all pending and the first running. */
function StepList({ signup, phase }: { signup: Signup | null; phase: Phase }) {
  const steps =
    signup?.steps ??
    (Object.keys(SIGNUP_STEP_LABELS) as Signup['steps'][number]['name'][]).map((name, i) => ({
      name,
      state: phase === 'running' && i === 0 ? ('running' as const) : ('pending' as const),
    }));
  return (
    <ol class="signup-steps" aria-label="Steps after Facebook’s dialog">
      {steps.map((s) => (
        <li key={s.name} class={`signup-step signup-step-${s.state}`} data-testid={`signup-step-${s.name}`}>
          <span aria-hidden="true" class="signup-mark">
            {STATE_MARK[s.state]}
          </span>
          <span>
            {SIGNUP_STEP_LABELS[s.name]}
            <span class="visually-hidden">: {STATE_WORDS[s.state]}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

function SignupCard({ state, reload }: { state: SignupState; reload: () => void }) {
  const launcher = state.launcher;
  const [signup, setSignup] = useState<Signup | null>(state.latest);
  const [phase, setPhase] = useState<Phase>('idle');
  const [problem, setProblem] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [clubId, setClubId] = useState('');
  const fb = useRef<Awaited<ReturnType<typeof loadFacebookSdk>> | null>(null);
  const clubs = useClubs();
  // Facebook's SDK must be there before the click (FB.login opens its popup inside the click, or it is blocked).
  useEffect(() => {
    if (launcher?.mode !== 'facebook') return;
    // Reached by an in-app link: this document's CSP is the app's strict one, so load the page itself again.
    if (!facebookAllowedHere()) return location.replace(location.href);
    loadFacebookSdk(launcher)
      .then((sdk) => {
        fb.current = sdk;
      })
      .catch((err: unknown) => setProblem(errorText(err)));
  }, [launcher?.mode]);

  // While the server works, its stored progress is read back, so each step shows as it completes.
  useEffect(() => {
    if (phase !== 'running') return;
    const timer = window.setInterval(() => {
      getSignupState()
        .then((s) => {
          if (s.latest && s.latest.status === 'running') setSignup(s.latest);
        })
        .catch(() => undefined);
    }, 600);
    return () => window.clearInterval(timer);
  }, [phase]);

  const further = state.waba_id !== null;
  const run = async (work: () => Promise<Signup>) => {
    setPhase('running');
    setProblem(null);
    try {
      const done = await work();
      setSignup(done);
      setPin('');
      if (done.status === 'connected') reload();
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setPhase('idle');
    }
  };

  const connect = (l: SignupLauncher) => {
    setProblem(null);
    setPhase('dialog');
    // No await before this call: the dialog's window must open inside the click.
    openSignupDialog(l, fb.current)
      .then((answer) =>
        run(() =>
          startSignup({
            code: answer.code,
            waba_id: answer.wabaId,
            phone_number_id: answer.phoneNumberId,
            ...(answer.businessId ? { business_id: answer.businessId } : {}),
            ...(further && clubId ? { club_id: clubId } : {}),
          }),
        ),
      )
      .catch((err: unknown) => {
        setProblem(errorText(err));
        setPhase('idle');
      });
  };

  if (state.switched_off)
    return (
      <p role="alert" class="error">
        ClubChat’s platform admin has switched WhatsApp off for this gym. Ask them to switch it back on; until then
        nothing can be connected or sent.
      </p>
    );
  if (!launcher)
    return (
      <p role="status" class="muted">
        Connecting with Facebook is not set up on this server (META_APP_ID and META_ES_CONFIG_ID). Ask ClubChat’s
        platform admin.
      </p>
    );

  const failed = signup?.status === 'failed' ? signup : null;
  const connected = signup?.status === 'connected';
  const needsPin = failed?.error?.code === 'pin_mismatch';
  const busy = phase !== 'idle';
  return (
    <div class="stack">
      <p class="small">
        Log in with Facebook, choose the gym’s business and WhatsApp Business Account, and verify its number. ClubChat
        then does the rest:
      </p>
      {(signup || phase === 'running') && <StepList signup={signup} phase={phase} />}
      {connected && signup && phase === 'idle' && (
        <p role="status" class="ok" data-testid="signup-connected">
          Connected: {signup.verified_name ?? 'the gym'} on{' '}
          {signup.display_phone_number ? businessNumber(signup.display_phone_number) : signup.phone_number_id}.
        </p>
      )}
      {failed?.error && phase === 'idle' && (
        <p role="alert" class="error" data-testid="signup-error">
          {failed.error.message}
        </p>
      )}
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
      {needsPin && failed?.resumable && (
        <label>
          The number’s two-step verification PIN
          <input
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={pin}
            onInput={(e) => setPin(e.currentTarget.value.replace(/\D/g, ''))}
          />
        </label>
      )}
      {further && clubs && clubs.length > 1 && !failed?.resumable && (
        <label>
          The new number is for
          <select value={clubId} onChange={(e) => setClubId(e.currentTarget.value)}>
            <option value="">{clubs[0]?.name ?? 'The first club'}</option>
            {clubs.slice(1).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <div class="signup-actions">
        {failed?.resumable && (
          <button
            type="button"
            class="primary"
            disabled={busy || (needsPin && !SIGNUP_PIN.test(pin))}
            onClick={() => void run(() => resumeSignup(failed.id, needsPin ? pin : undefined))}
          >
            Resume
          </button>
        )}
        <button
          type="button"
          class={failed?.resumable ? '' : 'primary'}
          disabled={busy}
          onClick={() => connect(launcher)}
        >
          {phase === 'dialog'
            ? 'Waiting for Facebook…'
            : phase === 'running'
              ? 'Connecting…'
              : further || connected
                ? 'Connect another number with Facebook'
                : 'Connect with Facebook'}
        </button>
      </div>
      {launcher.mode === 'sandbox' && (
        <p class="muted small">Sandbox: the simulator plays Facebook’s dialog and Meta’s answers.</p>
      )}
    </div>
  );
}

export function WhatsappSignupPage() {
  const { data, error, reload } = useLoad(getSignupState);
  const [round, setRound] = useState(0);
  return (
    <div class="page">
      <AppHeader title="WhatsApp connection" back="/settings" />
      <main class="settings-main">
        <ConnectionCard key={round} />
        <section class="card" aria-labelledby="signup-title">
          <h2 id="signup-title" class="card-head">
            Connect with Facebook
          </h2>
          <LoadState data={data} error={error} what="Connecting" reload={reload}>
            {(state) => <SignupCard state={state} reload={() => setRound((n) => n + 1)} />}
          </LoadState>
        </section>
      </main>
    </div>
  );
}
