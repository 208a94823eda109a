// A lead-source choice (any source, from ads, one ad) and the audience fields it stands for in a broadcast's or an
// automated item's audience (`source: 'ad'` or `ad_ids`), both ways, so the two forms read and write it alike.

/** What a list asks the server for: `source=ad`, or `ad=<Meta's ad id>`; neither: any source. */
export type AdChoice = { source?: 'ad'; ad?: string };

export interface SourceAudience {
  source?: 'ad';
  ad_ids?: string[];
}

/** The choice an audience holds. The forms pick one ad; an audience of several (made over the API) shows its first. */
export function adChoiceOf(audience: SourceAudience | null | undefined): AdChoice {
  const ad = audience?.ad_ids?.[0];
  if (ad) return { ad };
  return audience?.source === 'ad' ? { source: 'ad' } : {};
}

/** The audience fields for a choice: one ad narrows more than "from ads", so it alone is sent. */
export function sourceAudienceOf(choice: AdChoice): SourceAudience {
  if (choice.ad) return { ad_ids: [choice.ad] };
  return choice.source === 'ad' ? { source: 'ad' } : {};
}
