import { LinderoError } from '../model/index.js';

/** Every refusal of a position uses this code, so the CLI and HTTP edges can map it to "bad input". */
export const BAD_POSITION = 'bad-position';

export function badPosition(message: string, column?: number): LinderoError {
  const place = column === undefined ? { field: 'position' } : { field: 'position', column };
  return new LinderoError(BAD_POSITION, message, place);
}

/** The input quoted for a message, shortened so a hostile line cannot flood a log. */
export function quoted(text: string): string {
  return text.length <= 40 ? `'${text}'` : `'${text.slice(0, 37)}...'`;
}
