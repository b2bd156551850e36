/**
 * A problem the person running the hub must fix (a port in use, a missing file): the CLI
 * prints its message on one line and exits 78, without a stack trace.
 */
export class OperatorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OperatorError';
  }
}
