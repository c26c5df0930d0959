// `--fail-on` conditions: a small expression language over report fields, e.g.
// `neighbors.churnedShare>0.3` or `anchors.b.hitAtK<anchors.a.hitAtK-0.05`, parsed before the run
// (so a typo fails in a second, not after a minute of embedding) and evaluated on the finished report.
import { editDistance } from '../core/config/checker';
import { DriftError } from '../core/types';
import { REPORT_FIELDS } from '../core/report/fields';
import type { Report } from '../core/report/types';

/**
 * The numeric report fields a condition may name, read off the report's JSON Schema. Checked at
 * parse time, so a misspelled field is a usage error with a suggestion instead of a gate that
 * silently never fires.
 */
export { REPORT_FIELDS };

export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'field'; path: string }
  | { kind: 'neg'; operand: Expr }
  | { kind: 'arith'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr }
  | { kind: 'compare'; op: '<' | '<=' | '>' | '>=' | '==' | '!='; left: Expr; right: Expr }
  | { kind: 'logic'; op: '&&' | '||'; left: Expr; right: Expr };

export interface FailCondition {
  /** The text as the user wrote it. */
  source: string;
  expr: Expr;
}

type TokenKind = 'number' | 'field' | 'op' | '(' | ')' | 'end';
interface Token { kind: TokenKind; text: string; column: number }

const OPERATORS = ['<=', '>=', '==', '!=', '&&', '||', '<', '>', '+', '-', '*', '/'];

/** Longest condition accepted: real ones fit on a line, and the bound keeps evaluation shallow. */
const MAX_SOURCE = 2000;
/** Deepest nesting of parentheses and unary minus; the recursive-descent parser must not overflow the stack. */
const MAX_DEPTH = 100;

function usage(source: string, message: string, column?: number): DriftError {
  const where = column === undefined ? '' : ` at column ${column}`;
  // JSON quoting keeps the message on one line whatever was typed (newlines, control characters).
  const shown = source.length > 120 ? `${source.slice(0, 117)}...` : source;
  return new DriftError(`--fail-on ${JSON.stringify(shown)}: ${message}${where}`, 'usage');
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? '';
    if (/\s/.test(ch)) { i++; continue; }
    const column = i + 1;
    const number = /^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?%?/i.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], column });
      i += number[0].length;
      continue;
    }
    const field = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(source.slice(i));
    if (field) {
      tokens.push({ kind: 'field', text: field[0], column });
      i += field[0].length;
      continue;
    }
    if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch, text: ch, column });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, column });
      i += op.length;
      continue;
    }
    if (ch === '=') throw usage(source, 'use "==" to compare, not "="', column);
    throw usage(source, `unexpected character ${JSON.stringify(ch)}`, column);
  }
  tokens.push({ kind: 'end', text: '', column: source.length + 1 });
  return tokens;
}

/** The known field closest to `path`, or undefined when nothing is plausibly meant. */
export function suggestField(path: string): string | undefined {
  const lower = path.toLowerCase();
  const last = lower.split('.').pop() ?? lower;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of REPORT_FIELDS) {
    const c = candidate.toLowerCase();
    // The same leaf under another parent ("churnedShare" for "neighbors.churnedShare") is a strong hint.
    const score = c === lower ? 0 : c.endsWith(`.${lower}`) || c.split('.').pop() === last
      ? 1 + editDistance(lower, c) / 100
      : editDistance(lower, c);
    if (score < bestScore) { bestScore = score; best = candidate; }
  }
  return bestScore <= Math.max(3, Math.floor(path.length / 3)) ? best : undefined;
}

class Parser {
  private position = 0;
  private depth = 0;
  constructor(private readonly source: string, private readonly tokens: Token[]) {}

  private peek(): Token { return this.tokens[this.position] ?? this.tokens[this.tokens.length - 1]!; }
  private next(): Token { const t = this.peek(); this.position++; return t; }
  private atOp(...ops: string[]): string | undefined {
    const t = this.peek();
    return t.kind === 'op' && ops.includes(t.text) ? t.text : undefined;
  }

  parse(): Expr {
    const expr = this.or();
    const rest = this.peek();
    if (rest.kind !== 'end') throw usage(this.source, `unexpected "${rest.text}"`, rest.column);
    return expr;
  }

  private or(): Expr {
    let left = this.and();
    while (this.atOp('||')) { this.next(); left = { kind: 'logic', op: '||', left, right: this.and() }; }
    return left;
  }

  private and(): Expr {
    let left = this.comparison();
    while (this.atOp('&&')) { this.next(); left = { kind: 'logic', op: '&&', left, right: this.comparison() }; }
    return left;
  }

  private comparison(): Expr {
    const left = this.sum();
    const op = this.atOp('<', '<=', '>', '>=', '==', '!=');
    if (!op) return left;
    this.next();
    const right = this.sum();
    const extra = this.atOp('<', '<=', '>', '>=', '==', '!=');
    if (extra) throw usage(this.source, `chained comparison "${extra}": join conditions with && instead`, this.peek().column);
    return { kind: 'compare', op: op as '<', left, right };
  }

  private sum(): Expr {
    let left = this.product();
    for (let op = this.atOp('+', '-'); op; op = this.atOp('+', '-')) {
      this.next();
      left = { kind: 'arith', op: op as '+', left, right: this.product() };
    }
    return left;
  }

  private product(): Expr {
    let left = this.unary();
    for (let op = this.atOp('*', '/'); op; op = this.atOp('*', '/')) {
      this.next();
      left = { kind: 'arith', op: op as '*', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    if (this.atOp('-')) {
      this.enter(this.next().column);
      const operand = this.unary();
      this.depth--;
      return { kind: 'neg', operand };
    }
    return this.primary();
  }

  private enter(column: number): void {
    if (++this.depth > MAX_DEPTH) throw usage(this.source, `nested more than ${MAX_DEPTH} deep`, column);
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'number': {
        const percent = t.text.endsWith('%');
        const value = Number(percent ? t.text.slice(0, -1) : t.text);
        return { kind: 'number', value: percent ? value / 100 : value };
      }
      case 'field': {
        if (!REPORT_FIELDS.includes(t.text)) {
          const hint = suggestField(t.text);
          throw usage(this.source, `unknown field "${t.text}"${hint ? ` (did you mean "${hint}"?)` : ' (see embedding-drift compare --help for the list)'}`, t.column);
        }
        return { kind: 'field', path: t.text };
      }
      case '(': {
        this.enter(t.column);
        const inner = this.or();
        this.depth--;
        const close = this.next();
        if (close.kind !== ')') throw usage(this.source, 'missing ")"', close.column);
        return inner;
      }
      case 'end':
        throw usage(this.source, 'expression ends too early', t.column);
      default:
        throw usage(this.source, `unexpected "${t.text}"`, t.column);
    }
  }
}

type ValueType = 'number' | 'boolean';

function typeOf(expr: Expr, source: string): ValueType {
  switch (expr.kind) {
    case 'number':
    case 'field':
      return 'number';
    case 'neg':
    case 'arith':
      for (const part of expr.kind === 'neg' ? [expr.operand] : [expr.left, expr.right]) {
        if (typeOf(part, source) !== 'number') throw usage(source, 'arithmetic on a condition; compare numbers, then join with && or ||');
      }
      return 'number';
    case 'compare':
      if (typeOf(expr.left, source) !== 'number' || typeOf(expr.right, source) !== 'number') {
        throw usage(source, `"${expr.op}" compares numbers; join conditions with && or ||`);
      }
      return 'boolean';
    case 'logic':
      if (typeOf(expr.left, source) !== 'boolean' || typeOf(expr.right, source) !== 'boolean') {
        throw usage(source, `both sides of "${expr.op}" must be conditions (e.g. a > 0.3)`);
      }
      return 'boolean';
  }
}

/** Parses one `--fail-on` expression; throws DriftError('usage') naming the problem and column. */
export function parseFailOn(source: string): FailCondition {
  if (source.trim() === '') throw usage(source, 'empty condition');
  if (source.length > MAX_SOURCE) throw usage(source, `is ${source.length} characters long; at most ${MAX_SOURCE}`);
  const expr = new Parser(source, tokenize(source)).parse();
  if (typeOf(expr, source) !== 'boolean') {
    throw usage(source, 'is a number, not a condition (add a comparison such as "> 0.3")');
  }
  constantValue(expr, source);
  return { source, expr };
}

/**
 * The value of a part made of numbers only, or undefined when it names a field. A division by zero
 * or a number that is not finite there is a mistake in the condition, refused before the run
 * (`1/0 > 1` would otherwise be silently false on every report).
 */
function constantValue(expr: Expr, source: string): number | undefined {
  switch (expr.kind) {
    case 'number':
      if (!Number.isFinite(expr.value)) throw usage(source, 'a number is too large to be finite');
      return expr.value;
    case 'field':
      return undefined;
    case 'neg': {
      const v = constantValue(expr.operand, source);
      return v === undefined ? undefined : -v;
    }
    case 'arith': {
      const l = constantValue(expr.left, source);
      const r = constantValue(expr.right, source);
      if (expr.op === '/' && r === 0) throw usage(source, 'division by zero');
      if (l === undefined || r === undefined) return undefined;
      const value = arithmetic(expr.op, l, r);
      if (!Number.isFinite(value)) throw usage(source, 'a part of the condition is not a finite number');
      return value;
    }
    case 'compare':
    case 'logic':
      constantValue(expr.left, source);
      constantValue(expr.right, source);
      return undefined;
  }
}

function arithmetic(op: '+' | '-' | '*' | '/', l: number, r: number): number {
  switch (op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '/': return l / r;
  }
}

/** Reads a dotted path from the report; undefined when absent or not a number. */
export function readField(report: Report, path: string): number | undefined {
  const field = fieldOf(report, path);
  return field.kind === 'number' ? field.value : undefined;
}

/**
 * A field's state: a number, null (the report holds the field but could not measure it), or absent
 * (its section does not apply to this run, e.g. snapshot.* in a two-configuration run).
 */
function fieldOf(report: Report, path: string): { kind: 'number'; value: number } | { kind: 'null' } | { kind: 'absent' } {
  let value: unknown = report;
  for (const part of path.split('.')) {
    if (value === null || value === undefined) return { kind: 'absent' };
    value = (value as Record<string, unknown>)[part];
  }
  if (value === null) return { kind: 'null' };
  return typeof value === 'number' && Number.isFinite(value) ? { kind: 'number', value } : { kind: 'absent' };
}

export interface Evaluation {
  holds: boolean;
  /** Fields the condition needed and the report does not hold (e.g. snapshot metrics of a two-config run). */
  missing: string[];
  /** The fields used and their values, for the message on stderr. */
  values: Array<[string, number]>;
}

/**
 * Evaluates a parsed condition. A comparison that needs a field whose section the report lacks
 * does not hold, and the field is listed in `missing` so the CLI can warn about it. A field the
 * report holds as null (not measured) or a division by zero on the report's values cannot be
 * gated on: that throws a usage DriftError saying why, never a silent true or false.
 */
export function evaluateFailOn(condition: FailCondition, report: Report): Evaluation {
  const missing = new Set<string>();
  const values = new Map<string, number>();
  const number = (expr: Expr): number | undefined => {
    switch (expr.kind) {
      case 'number': return expr.value;
      case 'field': {
        const field = fieldOf(report, expr.path);
        if (field.kind === 'null') {
          const why = report.notMeasured?.[expr.path] ?? 'the report\'s warnings say why';
          throw usage(condition.source, `${expr.path} is not measured in this report (null): ${why}`);
        }
        if (field.kind === 'absent') { missing.add(expr.path); return undefined; }
        values.set(expr.path, field.value);
        return field.value;
      }
      case 'neg': {
        const v = number(expr.operand);
        return v === undefined ? undefined : -v;
      }
      case 'arith': {
        const l = number(expr.left);
        const r = number(expr.right);
        if (l === undefined || r === undefined) return undefined;
        const shown = (): string => [...values].map(([f, v]) => `${f} = ${v}`).join(', ');
        if (expr.op === '/' && r === 0) throw usage(condition.source, `division by zero on this report's values (${shown()})`);
        const value = arithmetic(expr.op, l, r);
        if (!Number.isFinite(value)) throw usage(condition.source, `not a finite number on this report's values (${shown()})`);
        return value;
      }
      default:
        return undefined;
    }
    return undefined;
  };
  const truth = (expr: Expr): boolean => {
    if (expr.kind === 'logic') {
      // Both sides are evaluated so every missing field is reported, not only the first.
      const l = truth(expr.left);
      const r = truth(expr.right);
      return expr.op === '&&' ? l && r : l || r;
    }
    if (expr.kind !== 'compare') return false;
    const l = number(expr.left);
    const r = number(expr.right);
    if (l === undefined || r === undefined) return false;
    switch (expr.op) {
      case '<': return l < r;
      case '<=': return l <= r;
      case '>': return l > r;
      case '>=': return l >= r;
      case '==': return l === r;
      case '!=': return l !== r;
    }
  };
  const holds = truth(condition.expr);
  return { holds, missing: [...missing], values: [...values] };
}
