/**
 * A message for the next page of the Rules tab ("Saved the rule …" after the form navigates
 * back to the list): set before navigating, read by the page that shows it, then cleared (in an
 * effect, so StrictMode's double render reads it twice rather than losing it).
 */
let pending: string | undefined;

export function setFlash(message: string): void {
  pending = message;
}

export function peekFlash(): string | undefined {
  return pending;
}

export function clearFlash(): void {
  pending = undefined;
}
