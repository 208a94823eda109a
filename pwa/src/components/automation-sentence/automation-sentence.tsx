import { automationSentence, type SentenceInput } from './sentence';

/** The item read back in words; polite live region, so a screen reader hears it change with the form. */
export function AutomationSentence(props: SentenceInput & { live?: boolean }) {
  const { live, ...input } = props;
  return (
    <p class="automation-sentence" data-testid="automation-sentence" aria-live={live ? 'polite' : undefined}>
      {automationSentence(input)}
    </p>
  );
}
