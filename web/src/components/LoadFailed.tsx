import { Notice } from './Notice.js';

interface Props {
  /** The hub's message. */
  message: string;
  onRetry: () => void;
  /** While a retry is running. */
  retrying?: boolean;
}

/** What could not be loaded, in the hub's words, with Try again. */
export function LoadFailed({ message, onRetry, retrying = false }: Props) {
  return (
    <Notice kind="error">
      {message}{' '}
      <button type="button" className="button-link" disabled={retrying} onClick={onRetry}>
        Try again
      </button>
    </Notice>
  );
}
