// Webview entry: renders a report in the VS Code panel (data arrives by message after `ready`) or
// in a standalone report.html (data embedded as JSON). One bundle, no framework.
import type { ChunkRecord, Report } from '../core/report/types';
import {
  TAB_IDS, checkReportShape, decodeReport, validateToWebview,
  type ResponseFor, type Side, type TabId, type UiState, type WebviewRequest, type WebviewResponse,
} from '../shared/protocol';
import { PendingRequests } from '../shared/requests';
import { describeStale, type StaleState } from '../shared/stale';
import type { AppContext, Location, View } from './context';
import { clear, h, locLabel, spanLabel } from './dom';
import { connectHost, type Host } from './host';
import { churnItemKey, markChanged, readMarkedValues, restoreScroll, saveScroll, type MarkedValues } from './update';
import { TAB_LABELS } from './verdicts';
import { createAnchors } from './views/anchors';
import { createChunking } from './views/chunking';
import { createChurn } from './views/churn';
import { createDecisions, hasDecisions } from './views/decisions';
import { createMaps } from './views/maps';
import { createOverview } from './views/overview';
import { createPlayground } from './views/playground';
import { createSpace } from './views/space';
import { createTokens } from './views/tokens';

/**
 * How long a request waits for the host. Tokenizing may first load both models in the session
 * worker, which can take a while on a slow disk; anything longer means the host lost the request.
 */
const REQUEST_TIMEOUT_MS = 120_000;

const VIEW_FACTORIES: Record<TabId, (ctx: AppContext) => View> = {
  overview: createOverview, churn: createChurn, tokens: createTokens, anchors: createAnchors,
  space: createSpace, decisions: createDecisions, maps: createMaps, chunking: createChunking, playground: createPlayground,
};

function defaultState(): UiState {
  return {
    tab: 'overview', churnSelected: null, churnSort: { column: 'jaccard', descending: false }, churnFilter: '',
    termFilter: '', anchorSort: { column: 'shift', descending: false }, mapColor: 'churn', chunkingFile: null,
    tokenizeText: '', searchQuery: '',
  };
}

class App {
  private state: UiState;
  private report: Report | undefined;
  private views = new Map<TabId, View>();
  private tabs: TabId[] = [];
  private readonly pending = new PendingRequests<WebviewRequest['type'], WebviewResponse>();
  private readonly root: HTMLElement;
  private readonly banner = h('div', { class: 'banner', role: 'status', 'data-testid': 'banner' });
  private readonly progress = h('div', { class: 'progress', 'data-testid': 'progress' });
  private readonly peek = h('aside', { class: 'peek', 'data-testid': 'peek', 'aria-label': 'Source text', tabindex: -1 });
  /** "stale: configuration changed 12 s ago" with a Rerun button (live mode off). */
  private readonly staleBanner = h('div', { class: 'stale-banner', role: 'status', 'data-testid': 'stale' });
  /** When the shown report replaced another: the time and what changed (live mode). */
  private readonly updateLine = h('div', { class: 'update-line', role: 'status', 'data-testid': 'update-line' });
  private stale: { state: StaleState; receivedAt: number } | null = null;
  private staleTicker: ReturnType<typeof setInterval> | undefined;
  /** Numbers of views shown before a report was replaced, per tab, compared once the tab renders again. */
  private previousValues = new Map<TabId, MarkedValues>();
  private ctx: AppContext | undefined;
  /** Page scroll of each tab when it was last left. */
  private readonly tabScroll = new Map<TabId, number>();

  constructor(private readonly host: Host) {
    this.root = document.getElementById('app') ?? document.body;
    this.state = { ...defaultState(), ...sanitizeState(host.loadState()) };
  }

  start(): void {
    window.addEventListener('message', (e: MessageEvent) => this.onMessage(e.data));
    window.addEventListener('resize', () => this.currentView()?.onShow?.());
    // Charts paint with colors read from CSS variables at draw time, so a theme change redraws them:
    // VS Code swaps the body class and the --vscode-* variables on <html>; browsers flip the scheme.
    const redraw = (): void => this.currentView()?.onShow?.();
    new MutationObserver(redraw).observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
    window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', redraw);
    window.addEventListener('error', (e) => this.reportError(e.message));
    this.peek.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.peek.classList.remove('open'); });
    if (this.host.mode === 'standalone') {
      const data = document.getElementById('report-data');
      try {
        const report: unknown = JSON.parse(data?.textContent ?? 'null');
        const why = checkReportShape(report);
        if (why) this.fail(`This file does not hold a usable report: ${why}.`);
        else this.show(report as Report);
      } catch {
        this.fail('This file does not hold a readable report (the embedded JSON is damaged).');
      }
    } else {
      this.host.post({ type: 'ready' });
    }
  }

  private onMessage(data: unknown): void {
    const m = validateToWebview(data);
    if (!m) return;
    switch (m.type) {
      case 'showReport': {
        const report = decodeReport(m.report);
        if (typeof report === 'string') {
          console.warn(`Dropped a message from the extension host: ${report}.`);
          // A damaged stored report (after a reload) says so instead of leaving the page as it was.
          if (!this.report) this.fail(`This report cannot be shown (${report}); run the comparison again.`);
          break;
        }
        this.show(report, m.change);
        break;
      }
      case 'stale':
        this.stale = m.stale ? { state: m.stale, receivedAt: Date.now() } : null;
        this.renderStale();
        break;
      case 'response':
        // An answer to no request waiting (timed out, or never asked) is dropped.
        if (!this.pending.settle(m.id, m.response.type, m.response)) console.warn(`Dropped a ${m.response.type} response to request ${m.id}, which no longer waits.`);
        break;
      case 'progress': {
        const e = m.event;
        if (!this.progress.isConnected) {
          // A first run: no report yet, so the page says what is happening instead of staying blank.
          clear(this.root);
          this.root.append(h('p', { class: 'loading', 'data-testid': 'first-run' }, 'Comparing A and B: the report appears here when the run is done.'), this.progress, this.banner);
        }
        clear(this.progress);
        this.progress.classList.add('active');
        const frac = e.total ? Math.min(1, e.done / e.total) : undefined;
        const bar = h('div', { class: `progress-bar${frac === undefined ? ' indeterminate' : ''}` });
        if (frac !== undefined) bar.style.width = `${Math.round(frac * 100)}%`;
        this.progress.append(
          h('div', { class: 'progress-track', role: 'progressbar', 'aria-label': 'Comparison progress', ...(frac !== undefined ? { 'aria-valuenow': Math.round(frac * 100), 'aria-valuemin': 0, 'aria-valuemax': 100 } : {}) }, bar),
          h('span', { class: 'progress-text', 'data-testid': 'progress-text' }, m.text),
          h('button', { class: 'button secondary', type: 'button', onclick: () => this.host.post({ type: 'cancel' }) }, 'Cancel'));
        break;
      }
      case 'error':
        this.progress.classList.remove('active');
        this.fail(m.message);
        break;
      case 'setState':
        this.state = { ...this.state, ...sanitizeState(m.state) };
        this.saveState();
        if (this.report) this.show(this.report);
        break;
      default: {
        const never: never = m;
        void never;
      }
    }
  }

  private fail(message: string): void {
    clear(this.banner);
    this.banner.className = 'banner error';
    this.banner.append(h('span', null, message));
    if (!this.banner.isConnected) this.root.prepend(this.banner);
  }

  private reportError(message: string): void {
    if (this.host.mode === 'vscode') this.host.post({ type: 'webviewError', message: String(message).slice(0, 2000) });
  }

  private saveState(): void {
    this.host.saveState(this.state);
  }

  private show(report: Report, change?: string): void {
    const previous = this.report;
    // A report replacing one on screen is an update in place: same tab, scroll, filters and selection.
    const scroll = previous ? saveScroll(this.root) : undefined;
    if (previous) {
      for (const [tab, view] of this.views) this.previousValues.set(tab, readMarkedValues(view.el));
      const selected = this.state.churnSelected;
      const key = selected === null ? undefined : churnItemKey(previous.neighbors.items[selected]);
      const found = key === undefined ? -1 : report.neighbors.items.findIndex((item) => churnItemKey(item) === key);
      this.state.churnSelected = found >= 0 ? found : null;
    }
    this.report = report;
    this.progress.classList.remove('active');
    this.views.clear();
    const standalone = this.host.mode === 'standalone';
    this.tabs = TAB_IDS.filter((t) => !(t === 'playground' && standalone) && !(t === 'chunking' && report.chunks.sameChunking) &&
      !(t === 'decisions' && !hasDecisions(report)));
    if (!this.tabs.includes(this.state.tab)) this.state.tab = 'overview';
    const state = this.state;
    this.ctx = {
      report, host: this.host, state,
      saveState: () => this.saveState(),
      open: (loc) => this.open(loc),
      request: (r) => this.request(r),
      chunk: (side, i) => report.chunkTable[side][i],
      label: (side) => report.configs[side].label,
      show: (tab) => this.select(tab, true),
    };
    clear(this.root);
    const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Report sections', onkeydown: (e: Event) => this.onTabKey(e as KeyboardEvent) });
    for (const t of this.tabs) {
      tablist.appendChild(h('button', {
        class: 'tab', role: 'tab', type: 'button', id: `tab-${t}`, 'aria-controls': `panel-${t}`, 'data-tab': t,
        onclick: () => this.select(t, true),
      }, TAB_LABELS[t]));
    }
    const header = h('header', { class: 'top' },
      h('div', { class: 'title' },
        h('span', { class: 'brand' }, 'Embedding Drift'),
        h('span', { class: 'side-badge side-a' }, 'A'), h('span', { class: 'cfg' }, report.configs.a.label),
        h('span', { class: 'muted' }, 'vs'),
        h('span', { class: 'side-badge side-b' }, 'B'), h('span', { class: 'cfg' }, report.configs.b.label)),
      tablist);
    const panels = h('main', { class: 'panels' });
    for (const t of this.tabs) panels.appendChild(h('div', { class: 'panel', role: 'tabpanel', id: `panel-${t}`, 'aria-labelledby': `tab-${t}`, hidden: true }));
    this.root.append(header, this.progress, this.banner, this.staleBanner, this.updateLine, panels, this.peek);
    this.banner.className = 'banner';
    clear(this.banner);
    clear(this.updateLine);
    if (previous) {
      const now = new Date();
      const time = [now.getHours(), now.getMinutes(), now.getSeconds()].map((x) => String(x).padStart(2, '0')).join(':');
      this.updateLine.append(h('span', { class: 'update-time' }, `Updated ${time}`));
      if (change) this.updateLine.append(h('span', { 'data-testid': 'change-summary' }, ` · ${change}`));
    }
    this.renderStale();
    this.select(this.state.tab, false);
    if (scroll) {
      restoreScroll(this.root, scroll);
      // Charts size themselves on the next frame, and the page can only scroll as far as it is tall.
      requestAnimationFrame(() => restoreScroll(this.root, scroll));
    }
  }

  private renderStale(): void {
    clear(this.staleBanner);
    if (this.staleTicker !== undefined) clearInterval(this.staleTicker);
    this.staleTicker = undefined;
    const stale = this.stale;
    if (!stale || !this.report) {
      this.staleBanner.classList.remove('active');
      return;
    }
    this.staleBanner.classList.add('active');
    const text = h('span', { 'data-testid': 'stale-text' });
    const tick = (): void => { text.textContent = describeStale({ ...stale.state, ageMs: stale.state.ageMs + Date.now() - stale.receivedAt }); };
    tick();
    const rerun = h('button', {
      class: 'button', type: 'button', 'data-testid': 'rerun',
      onclick: () => { rerun.setAttribute('disabled', ''); rerun.textContent = 'Rerunning…'; this.host.post({ type: 'rerun' }); },
    }, 'Rerun');
    this.staleBanner.append(text, rerun);
    // "12 s ago" keeps counting while the banner is up.
    this.staleTicker = setInterval(tick, 1000);
  }

  private select(tab: TabId, focus: boolean): void {
    if (!this.ctx || !this.tabs.includes(tab)) return;
    // Each tab keeps its own scroll position: leaving one remembers it, coming back restores it.
    const leaving = this.state.tab;
    const switching = leaving !== tab && this.views.has(leaving);
    if (switching) this.tabScroll.set(leaving, window.scrollY);
    this.state.tab = tab;
    this.saveState();
    for (const t of this.tabs) {
      const button = document.getElementById(`tab-${t}`)!;
      const panel = document.getElementById(`panel-${t}`)!;
      const active = t === tab;
      button.setAttribute('aria-selected', String(active));
      button.tabIndex = active ? 0 : -1;
      panel.hidden = !active;
      if (active && !this.views.has(t)) {
        const view = VIEW_FACTORIES[t](this.ctx);
        this.views.set(t, view);
        panel.appendChild(view.el);
        // The first look at this tab since the report was replaced: mark the numbers that moved.
        const before = this.previousValues.get(t);
        if (before) {
          this.previousValues.delete(t);
          markChanged(view.el, before);
        }
      }
    }
    if (focus) document.getElementById(`tab-${tab}`)?.focus();
    // Charts measure their container, so they draw once the panel is visible.
    this.currentView()?.onShow?.();
    if (switching) window.scrollTo(window.scrollX, this.tabScroll.get(tab) ?? 0);
  }

  private currentView(): View | undefined {
    return this.views.get(this.state.tab);
  }

  private onTabKey(e: KeyboardEvent): void {
    const i = this.tabs.indexOf(this.state.tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: this.tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    this.select(this.tabs[(next + this.tabs.length) % this.tabs.length]!, true);
  }

  private request<R extends WebviewRequest>(request: R): Promise<ResponseFor<R>> {
    const { id, answer } = this.pending.open(request.type, undefined, REQUEST_TIMEOUT_MS);
    this.host.post({ type: 'request', id, request });
    // A request the host does not answer in time gets an error answer: the view says so and moves on.
    return answer.then((r) => r as ResponseFor<R>, (err: Error) => ({ type: request.type, error: err.message }) as ResponseFor<R>);
  }

  /** VS Code opens the editor; standalone shows the chunks of that range from the report, inline. */
  private open(loc: Location): void {
    if (this.host.mode === 'vscode') {
      const msg: Parameters<Host['post']>[0] = { type: 'openLocation', file: loc.file, start: loc.start, end: loc.end };
      if (loc.side) msg.side = loc.side;
      this.host.post(msg);
      return;
    }
    const report = this.report;
    if (!report) return;
    const side: Side = loc.side ?? 'a';
    const chunks = report.chunkTable[side].filter((c) => c.file === loc.file && c.start < loc.end && loc.start < c.end).slice(0, 20);
    // The preview starts where the range does: a chunk's text before loc.start is left out.
    const fromStart = (c: ChunkRecord): string => c.text.slice(Math.max(0, loc.start - c.start));
    clear(this.peek);
    this.peek.classList.add('open');
    this.peek.append(
      h('div', { class: 'peek-head' },
        locLabel('strong', loc.file, loc.start, loc.end, loc.lines ?? chunks.find((c) => c.start === loc.start && c.end === loc.end)?.lines, { 'data-testid': 'peek-location' }),
        h('button', { class: 'button secondary', type: 'button', 'aria-label': 'Close', onclick: () => this.peek.classList.remove('open') }, 'Close')),
      loc.excerpt !== undefined
        ? h('div', { class: 'peek-chunk' },
          h('div', { class: 'muted small' }, `Expected text${loc.excerpt.length < loc.end - loc.start ? ` (first ${loc.excerpt.length} characters)` : ''}`),
          h('pre', { class: 'chunk-text', 'data-testid': 'peek-text' }, loc.excerpt))
        : chunks.length === 0
          ? h('p', { class: 'muted' }, 'The report holds no text for this range.')
          : h('div', null, ...chunks.map((c) => h('div', { class: 'peek-chunk' },
            h('div', { class: 'muted small', title: `characters ${c.start}–${c.end}` }, `${side.toUpperCase()} chunk ${spanLabel(c.file, c.start, c.end, c.lines)}${loc.start > c.start ? `, from character ${loc.start}` : ''}${c.text.length < c.end - c.start ? ` (the report keeps its first ${c.text.length} characters)` : ''}`),
            h('pre', { class: 'chunk-text', 'data-testid': 'peek-text' }, fromStart(c) || '(the range starts past the characters the report keeps)')))),
      h('p', { class: 'muted small' }, 'To jump to the source, open this workspace in VS Code and run Embedding Drift: Compare Configurations (or Open Last Report).'));
    this.peek.focus();
  }
}

/** Keeps only well-typed fields of a saved or host-sent state; a stale or foreign state cannot break the UI. */
function sanitizeState(s: Partial<UiState> | undefined): Partial<UiState> {
  if (!s || typeof s !== 'object') return {};
  const out: Partial<UiState> = {};
  if (TAB_IDS.includes(s.tab as TabId)) out.tab = s.tab as TabId;
  if (s.churnSelected === null || (typeof s.churnSelected === 'number' && Number.isInteger(s.churnSelected) && s.churnSelected >= 0)) out.churnSelected = s.churnSelected;
  for (const key of ['churnSort', 'anchorSort'] as const) {
    const v = s[key];
    if (v && typeof v.column === 'string' && typeof v.descending === 'boolean') out[key] = { column: v.column, descending: v.descending };
  }
  for (const key of ['churnFilter', 'termFilter', 'tokenizeText', 'searchQuery'] as const) {
    if (typeof s[key] === 'string') out[key] = s[key];
  }
  if (s.mapColor === 'churn' || s.mapColor === 'file' || s.mapColor === 'folder') out.mapColor = s.mapColor;
  if (s.chunkingFile === null || typeof s.chunkingFile === 'string') out.chunkingFile = s.chunkingFile;
  return out;
}

new App(connectHost()).start();
