import { act } from 'react';

/** The input labelled `label` (exactly) inside `scope`. */
export function field(scope: ParentNode, label: string): HTMLInputElement {
  const labelElement = [...scope.querySelectorAll('label')].find((element) => element.textContent === label);
  const control = labelElement === undefined ? null : document.getElementById(labelElement.htmlFor);
  if (!(control instanceof HTMLInputElement)) throw new Error(`no ${label} field`);
  return control;
}

/** Types `value` into `input` as a person would, so React sees the change. */
export async function fill(input: HTMLInputElement, value: string): Promise<void> {
  await act(async () => {
    // React tracks the value itself: set it through the prototype's setter so the change is seen.
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** The error shown under `input` (its aria-describedby's last entry), if any. */
export function fieldError(input: HTMLInputElement): string | undefined {
  if (input.getAttribute('aria-invalid') !== 'true') return undefined;
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
  return document.getElementById(ids.at(-1) ?? '')?.textContent ?? undefined;
}
