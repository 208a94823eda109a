// A select that saves on change (a person's club, their stage): shows the choice at once, saves it, and on a
// refusal goes back to what the server holds and says why in the server's words.
import { useState } from 'preact/hooks';
import { errorText } from './use-load';

export function useSavedChoice(saved: string, save: (value: string) => Promise<unknown>, refused: string) {
  const [shown, setShown] = useState(saved);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const choose = async (value: string) => {
    setBusy(true);
    setError(null);
    setShown(value);
    try {
      await save(value);
    } catch (err) {
      setShown(saved);
      setError(errorText(err, refused));
    } finally {
      setBusy(false);
    }
  };
  return { shown, busy, error, choose };
}
