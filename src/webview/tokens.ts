// Tokens drawn as colored boxes, the way tokenizer playgrounds show them: one box per piece,
// colors cycling so neighbors differ, unknown tokens marked, whitespace made visible.
import { h } from './dom';

export function tokenBoxes(pieces: string[], unknown?: boolean[], testId?: string): HTMLElement {
  const row = h('span', { class: 'tokens', 'data-testid': testId, 'aria-label': `${pieces.length} tokens` });
  pieces.forEach((p, i) => {
    const unk = unknown?.[i] === true;
    // An empty piece is a byte token holding the rest of the previous piece's character.
    const title = unk ? `${p} (unknown token)` : p === '' ? 'a token with no characters of its own: the rest of the previous character\'s bytes' : p;
    row.appendChild(h('span', { class: `tok tok-c${i % 6}${unk ? ' tok-unk' : ''}`, title },
      visible(p)));
  });
  return row;
}

/** Spaces and line breaks are part of a piece (e.g. " the"): show them as · and ↵. */
function visible(piece: string): string {
  return piece.length === 0 ? '∅' : piece.replace(/ /g, '·').replace(/\n/g, '↵').replace(/\t/g, '→');
}
