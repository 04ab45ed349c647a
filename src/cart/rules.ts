// The cart's input rules in one place: quantity range, note length, line count. The CartObject
// applies them to every change; routes only check the JSON types before calling it.
import { MAX_NOTE_CHARS, MAX_QTY } from '../catalog/line-limits';

/** Distinct lines per cart: Stripe Checkout takes at most 100 line items. */
const MAX_LINES = 100;

/** Why `qty` is not a quantity in `min..MAX_QTY`, or null when it is. */
export function qtyProblem(qty: unknown, min = 0): string | null {
  if (typeof qty !== 'number' || !Number.isInteger(qty))
    return `qty must be a whole number from ${min} to ${MAX_QTY}.`;
  if (qty < min || qty > MAX_QTY) return `qty must be from ${min} to ${MAX_QTY}.`;
  return null;
}

/** Why `note` is not an acceptable note, or null when it is. */
export function noteProblem(note: unknown): string | null {
  if (typeof note !== 'string') return 'note must be text.';
  if (noteLength(note) > MAX_NOTE_CHARS)
    return `note must be at most ${MAX_NOTE_CHARS} characters (got ${noteLength(note)}).`;
  return null;
}

/** Why a cart of `lineCount` distinct lines is too big, or null. */
export function lineCountProblem(lineCount: number): string | null {
  return lineCount > MAX_LINES
    ? `A cart holds at most ${MAX_LINES} different products; remove one before adding another.`
    : null;
}

/** Notes are stored trimmed with Windows line ends folded, so "a note" and "a note\n" are one note. */
export function normalizeNote(note: string): string {
  return note.replace(/\r\n?/g, '\n').trim();
}

function noteLength(note: string): number {
  let n = 0;
  for (const _ of note) n++;
  return n;
}
