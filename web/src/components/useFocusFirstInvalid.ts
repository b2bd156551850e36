import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

/**
 * After a submit that found problems, moves focus to the first field marked aria-invalid,
 * so keyboard and screen-reader users land on what needs fixing. Call the returned
 * function whenever a submit fails with field errors.
 */
export function useFocusFirstInvalid<T extends HTMLElement>(): [RefObject<T | null>, () => void] {
  const ref = useRef<T>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (attempt === 0) return;
    ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);
  const signal = useCallback(() => setAttempt((value) => value + 1), []);
  return [ref, signal];
}
