import { act } from 'react';
import { expect } from 'vitest';
import { buttons } from './render-app.js';

/**
 * Clicks `trigger` in `scope`: its confirm step asks `question`, with focus on Cancel. Then
 * Cancel: the step is gone and focus is back on the trigger.
 */
export async function openAndCancelConfirmStep(scope: HTMLElement, trigger: () => HTMLButtonElement | undefined, question: string): Promise<void> {
  await act(async () => trigger()?.click());
  expect(scope.querySelector('[role="group"]')?.textContent).toContain(question);
  expect(document.activeElement?.textContent).toBe('Cancel');

  await act(async () => buttons(scope, 'Cancel')[0]?.click());
  expect(scope.querySelector('[role="group"]')).toBeNull();
  expect(document.activeElement).toBe(trigger());
}
