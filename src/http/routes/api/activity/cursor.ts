import { HttpError } from '../../../errors.js';

/** Opaque page cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(key: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  shape: ReadonlyArray<'string' | 'number'>,
): Array<string | number> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // No NUL: the hub never gives one out, and PostgreSQL refuses it in a text parameter (a 500).
    const fits = (part: unknown, type: 'string' | 'number') =>
      type === 'number' ? Number.isSafeInteger(part) : typeof part === 'string' && part.length <= 100 && !part.includes('\u0000');
    if (Array.isArray(key) && key.length === shape.length && shape.every((type, index) => fits(key[index], type))) {
      return key as Array<string | number>;
    }
  } catch {
    // fall through
  }
  throw new HttpError(400, 'invalid_query', 'The cursor is not one this API gave out.', [{ path: 'cursor', message: 'unknown cursor' }]);
}
