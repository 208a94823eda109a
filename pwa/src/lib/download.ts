// Saving a file the app fetched (a person's data export) to the phone's downloads.

/** Hands `blob` to the browser as a download named `filename`; the object URL is released straight after. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download; revoking at once can cancel it in some browsers, so wait a moment.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
