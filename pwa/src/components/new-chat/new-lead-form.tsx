// A lead from a typed number: the number as staff wrote it (the server reads it in the gym's country when it has
// no country code), a name, and, when the person agreed to WhatsApp messages, how and to what (the consent log's
// fields). Recorded as added by the logged-in staff member.
import { useState } from 'preact/hooks';
import { ApiFailure } from '../../lib/api/client';
import { createLead, findByPhone, type NewLead, type SaleType } from '../../lib/api/directory';
import { errorText } from '../../lib/use-load';

const CONSENT_METHODS = [
  { value: 'in_person', label: 'In person, at the gym' },
  { value: 'phone_call', label: 'On a phone call' },
  { value: 'web_form', label: 'Web form' },
  { value: 'paper_form', label: 'Paper form' },
] as const;

export const consentText = (gym: string): string =>
  `Yes, ${gym} may message me on WhatsApp about my membership and offers.`;

export interface NewLeadFormProps {
  phone: string;
  gymName: string;
  /** The lead made, or the person who already had the number: their chat opens. */
  onReady: (personId: string) => void;
  onBack: () => void;
}

export function NewLeadForm(props: NewLeadFormProps) {
  const [phone, setPhone] = useState(props.phone);
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [saleType, setSaleType] = useState<SaleType>('membership');
  const [consented, setConsented] = useState(false);
  const [method, setMethod] = useState<string>('in_person');
  const [agreed, setAgreed] = useState(consentText(props.gymName));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const lead: NewLead = {
      first_name: firstName.trim(),
      ...(lastName.trim() ? { last_name: lastName.trim() } : {}),
      phone: phone.trim(),
      sale_type: saleType,
      ...(consented
        ? { whatsapp_consent: { method, text: agreed.trim(), captured_at: new Date().toISOString() } }
        : {}),
    };
    try {
      props.onReady((await createLead(lead)).id);
    } catch (err) {
      // Someone already has the number (in whatever spelling it was stored): their chat, not a second person.
      const existing =
        err instanceof ApiFailure && err.code === 'phone_taken'
          ? await findByPhone(lead.phone).catch(() => null)
          : null;
      if (existing) props.onReady(existing.id);
      else {
        setError(errorText(err, 'The lead could not be saved'));
        setBusy(false);
      }
    }
  };

  return (
    <form class="stack new-lead" aria-label="New lead" onSubmit={submit}>
      <label>
        Phone number
        <input
          type="tel"
          inputMode="tel"
          autoComplete="off"
          required
          value={phone}
          onInput={(e) => setPhone(e.currentTarget.value)}
        />
      </label>
      <label>
        First name
        <input required maxLength={100} value={firstName} onInput={(e) => setFirstName(e.currentTarget.value)} />
      </label>
      <label>
        Last name (optional)
        <input maxLength={100} value={lastName} onInput={(e) => setLastName(e.currentTarget.value)} />
      </label>
      <label>
        Interested in
        <select value={saleType} onChange={(e) => setSaleType(e.currentTarget.value as SaleType)}>
          <option value="membership">Membership</option>
          <option value="secondary">Secondary Sales</option>
        </select>
      </label>
      <label class="check">
        <input type="checkbox" checked={consented} onChange={(e) => setConsented(e.currentTarget.checked)} />
        They agreed to WhatsApp messages
      </label>
      {consented && (
        <>
          <label>
            How they agreed
            <select value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
              {CONSENT_METHODS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            What they agreed to
            <textarea
              rows={3}
              required
              maxLength={2000}
              value={agreed}
              onInput={(e) => setAgreed(e.currentTarget.value)}
            />
          </label>
        </>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" onClick={props.onBack}>
          Back
        </button>
        <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Saving…' : 'Start chat'}
        </button>
      </div>
    </form>
  );
}
