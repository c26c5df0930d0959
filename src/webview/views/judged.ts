// B's unjudged hits for one golden query: the chunks B returns in its top k that overlap none of the
// query's labelled spans (judged@k counts the others). Each can be labelled as expected in one click:
// the host appends it to the anchors file, as "Add Selection as Anchor" does. In report.html there
// is no host, so the button says where labelling works.
import type { AnchorItem } from '../../core/report/types';
import type { AppContext } from '../context';
import { h, spanLabel } from '../dom';

export function unjudgedHits(ctx: AppContext, item: AnchorItem): HTMLElement {
  const hits = item.unjudgedB ?? [];
  const canLabel = ctx.host.mode === 'vscode' && ctx.report.anchors.source === 'file' && !item.auto;
  const list = h('ol', { class: 'unjudged', 'data-testid': 'unjudged-hits' });
  for (const chunk of hits) {
    const c = ctx.chunk('b', chunk);
    if (!c) continue;
    const status = h('span', { class: 'muted small', 'aria-live': 'polite' });
    const button = h('button', {
      class: 'button secondary', type: 'button', 'data-chunk': chunk, disabled: !canLabel,
      title: canLabel ? 'Append this chunk\u2019s lines to the anchors file as an expected answer of this query' : 'Open this report in VS Code from a run with an anchors file to label hits',
      onclick: async () => {
        button.setAttribute('disabled', '');
        status.textContent = 'labelling\u2026';
        const answer = await ctx.request({ type: 'labelExpected', query: item.query, side: 'b', chunk });
        if ('expect' in answer) status.textContent = `added: ${answer.expect}`;
        else { status.textContent = answer.error; button.removeAttribute('disabled'); }
      },
    }, 'label as expected');
    list.appendChild(h('li', null,
      h('button', { class: 'link', type: 'button', onclick: () => ctx.open({ file: c.file, start: c.start, end: c.end, side: 'b' }) }, spanLabel(c.file, c.start, c.end)),
      ' ', button, ' ', status,
      h('div', { class: 'chunk-text small' }, c.text)));
  }
  return h('div', { class: 'judged', 'data-testid': 'judged' },
    h('h3', null, `B\u2019s unjudged hits for \u201c${item.query}\u201d (${hits.length})`),
    hits.length === 0
      ? h('p', { class: 'muted small' }, `Every chunk B returns in its top ${ctx.report.neighbors.k} overlaps a span labelled for this query.`)
      : list,
    h('p', { class: 'muted small' }, 'Unjudged is not irrelevant: hit@k counts these as misses. Label the ones that answer the query, and the next run scores them.'));
}
