// Tokenization tab: per-tokenizer fragmentation, the new-vocabulary table drawn as token boxes,
// and a live box that tokenizes any text with both real tokenizers (through the host).
import type { NewTermItem, TokenizerStats } from '../../core/report/types';
import type { AppContext, View } from '../context';
import { clear, clipped, fixed, h, int, pct, section, stat } from '../dom';
import { VirtualTable } from '../table';
import { tokenBoxes } from '../tokens';

export function createTokens(ctx: AppContext): View {
  const t = ctx.report.tokenization;
  const stats = (side: 'a' | 'b', s: TokenizerStats): HTMLElement =>
    h('div', { class: `tok-stats side-${side}`, 'data-testid': `tokstats-${side}` },
      h('h3', null, h('span', { class: `side-badge side-${side}` }, side.toUpperCase()), ` ${s.tokenizer}`),
      h('div', { class: 'stats' },
        stat('pieces per term', fixed(s.piecesPerTerm)),
        stat('shattered (3+ pieces or unknown)', pct(s.shatteredShare, 1), `${int(Math.round(s.shatteredShare * t.terms))} terms`),
        stat('unknown tokens', pct(s.unknownRate, 2))));

  const table = new VirtualTable<NewTermItem>({
    label: 'New vocabulary',
    testId: 'terms-table',
    rows: t.newVocabulary,
    rowHeight: 30,
    visibleRows: 12,
    columns: [
      { id: 'term', label: 'Term', width: 'minmax(0,1.3fr)', sortValue: (x) => x.term, render: (x) => clipped(x.term, 'term') },
      { id: 'count', label: 'Count', width: '64px', numeric: true, sortValue: (x) => x.count, render: (x) => int(x.count) },
      { id: 'a', label: `Pieces under A`, width: 'minmax(0,2fr)', sortValue: (x) => x.piecesA.length, render: (x) => pieces(x.piecesA, x.unknownA) },
      { id: 'b', label: `Pieces under B`, width: 'minmax(0,2fr)', sortValue: (x) => x.piecesB.length, render: (x) => pieces(x.piecesB, x.unknownB) },
    ],
    filterText: (x) => x.term,
    onOpen: (x) => { if (x.example) ctx.open({ ...x.example, side: 'a' }); },
  });
  const filter = h('input', {
    type: 'search', class: 'filter', placeholder: 'Filter terms…', 'aria-label': 'Filter terms', value: ctx.state.termFilter, 'data-testid': 'term-filter',
    oninput: (e: Event) => { const v = (e.target as HTMLInputElement).value; ctx.state.termFilter = v; ctx.saveState(); table.setFilter(v); },
  });
  if (ctx.state.termFilter) table.setFilter(ctx.state.termFilter);

  const churnNote = t.churnByNewVocabulary
    ? h('p', { class: 'muted' }, `Chunks holding new-vocabulary terms (${int(t.churnByNewVocabulary.chunksWithTerms)}) churn ${pct(t.churnByNewVocabulary.withTerms)}; the others ${pct(t.churnByNewVocabulary.withoutTerms)}.`)
    : null;

  const el = h('div', { class: 'view tokens-view' },
    section(`Tokenizers on ${int(t.terms)} distinct corpus terms`, h('div', { class: 'two-col' }, stats('a', t.a), stats('b', t.b)), churnNote),
    liveBox(ctx),
    h('div', { class: 'card table-card' },
      h('div', { class: 'toolbar' }, h('h2', { 'data-testid': 'terms-title' }, newVocabularyTitle(t.newVocabulary.length, t.newVocabularyTotal)), h('span', { class: 'muted small' }, 'ranked by frequency × fragmentation; Enter opens an example'), filter),
      table.el));
  return { el };
}

/** Says when the list was cut: "New vocabulary (top 200 of 1,234 terms)". */
export function newVocabularyTitle(shown: number, total: number | undefined): string {
  return total !== undefined && total > shown ? `New vocabulary (top ${int(shown)} of ${int(total)} terms)` : 'New vocabulary';
}

function pieces(p: string[], unknown: boolean): HTMLElement {
  // A long split is cut at the cell's edge: the whole split is on hover.
  return h('span', { class: 'pieces-cell', title: `${p.length} pieces: ${p.join(' | ')}` }, tokenBoxes(p, p.map(() => unknown)), h('span', { class: 'piece-count' }, String(p.length)));
}

function liveBox(ctx: AppContext): HTMLElement {
  const out = h('div', { class: 'live-out', 'data-testid': 'tokenize-output' });
  // The token counts are announced, not every token box.
  const announce = h('p', { class: 'sr-only', role: 'status' });
  const input = h('textarea', {
    class: 'live-input', rows: 2, placeholder: 'Type any text to see how A and B tokenize it…', 'aria-label': 'Text to tokenize', 'data-testid': 'tokenize-input',
  });
  input.value = ctx.state.tokenizeText;
  if (ctx.host.mode === 'standalone') {
    input.disabled = true;
    return section('Try any text', input, h('p', { class: 'muted', 'data-testid': 'tokenize-standalone' },
      'Live tokenization needs the Embedding Drift extension (it runs the real tokenizers), or on the command line: ',
      h('code', null, 'embedding-drift tokens "your text"'), '.'));
  }
  let latest = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async (): Promise<void> => {
    const text = input.value;
    ctx.state.tokenizeText = text;
    ctx.saveState();
    const mine = ++latest;
    if (text.length === 0) { clear(out); return; }
    out.classList.add('pending');
    const res = await ctx.request({ type: 'tokenize', text });
    if (mine !== latest) return; // a newer keystroke's answer will replace this one
    out.classList.remove('pending');
    clear(out);
    if ('error' in res) {
      out.appendChild(h('p', { class: 'error-text' }, res.error));
      announce.textContent = res.error;
      return;
    }
    announce.textContent = `A (${res.a.tokenizer}): ${res.a.pieces.length} tokens; B (${res.b.tokenizer}): ${res.b.pieces.length} tokens.`;
    for (const [side, enc] of [['a', res.a], ['b', res.b]] as const) {
      out.appendChild(h('div', { class: `live-row side-${side}` },
        h('div', { class: 'live-label' }, h('span', { class: `side-badge side-${side}` }, side.toUpperCase()), ` ${enc.tokenizer}`,
          h('span', { class: 'muted small', 'data-testid': `token-count-${side}` }, ` ${enc.pieces.length} tokens`)),
        tokenBoxes(enc.pieces, enc.unknown, `live-tokens-${side}`)));
    }
  };
  input.addEventListener('input', () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void run(), 150);
  });
  if (input.value) void run();
  return section('Try any text', input, out, announce);
}
