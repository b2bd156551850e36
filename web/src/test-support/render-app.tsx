import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, vi } from 'vitest';
import { App } from '../App.js';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

/** The element the app is rendered into: a fresh one in each test. */
export let container: HTMLDivElement;
let root: Root;

/**
 * Call once in a test file: each test gets a fresh `container`; after it the app is unmounted,
 * and stubbed globals (fetch), mocks and fake timers are undone.
 */
export function setUpAppInEachTest(): void {
  beforeEach(() => {
    // jsdom does not implement scrolling; navigation scrolls to the top.
    vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });

  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
}

/** Lets the requests in flight finish, and what they render. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 8; i++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

/** Renders the whole app at `path`, then lets its start-up requests settle. */
export async function render(path: string): Promise<void> {
  window.history.replaceState(null, '', path);
  await act(async () => root.render(<App />));
  await settle();
}

/** Unmounts the app in the middle of a test (to see what it cleans up). */
export function unmountApp(): void {
  act(() => root.unmount());
  root = createRoot(container);
}

/** The buttons whose visible words are `text` (screen-reader-only words after them are ignored). */
export function buttons(scope: ParentNode, text: string): HTMLButtonElement[] {
  return [...scope.querySelectorAll('button')].filter((element) => {
    const hidden = element.querySelector('.visually-hidden')?.textContent ?? '';
    return element.textContent?.slice(0, element.textContent.length - hidden.length) === text;
  });
}
