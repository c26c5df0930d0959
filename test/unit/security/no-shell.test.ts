// Nothing from the workspace or the configuration reaches a shell or an evaluator: every source file
// under src/ is parsed (TypeScript's own parser, so comments and strings cannot fool it) and any
// process launch must be spawn/execFile of a fixed binary with an argument array and no shell.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const SRC = path.resolve(__dirname, '..', '..', '..', 'src');
const SHELL_CALLS = new Set(['exec', 'execSync']);
const PROCESS_CALLS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork']);
const EVAL_MODULES = new Set(['vm', 'node:vm']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : /\.(ts|tsx|mts|cts|js)$/.test(e.name) ? [full] : [];
  });
}

/** Every use of a shell, an evaluator, or a process launch that is not fixed binary + argument array. */
export function findShellUses(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const problems: string[] = [];
  const where = (node: ts.Node) => `${path.relative(SRC, fileName)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const childProcessNames = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const from = node.moduleSpecifier.text;
      if (EVAL_MODULES.has(from)) problems.push(`${where(node)}: imports ${from}`);
      if (from === 'child_process' || from === 'node:child_process') {
        const bindings = node.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) childProcessNames.add(el.name.text);
        if (bindings && ts.isNamespaceImport(bindings)) childProcessNames.add(`${bindings.name.text}.*`);
      }
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      const args = node.arguments ?? ts.factory.createNodeArray();
      if (ts.isCallExpression(node) && ts.isIdentifier(callee) && name === 'eval') problems.push(`${where(node)}: eval()`);
      if (ts.isNewExpression(node) && name === 'Function') problems.push(`${where(node)}: new Function()`);
      if (ts.isIdentifier(callee) && name === 'require' && args[0] && ts.isStringLiteral(args[0]) && /^(node:)?(child_process|vm)$/.test(args[0].text)) {
        problems.push(`${where(node)}: require("${args[0].text}")`);
      }
      const fromChildProcess = childProcessNames.has(name) ||
        (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && childProcessNames.has(`${callee.expression.text}.*`));
      if (fromChildProcess && SHELL_CALLS.has(name)) problems.push(`${where(node)}: ${name}() runs a shell`);
      if (fromChildProcess && PROCESS_CALLS.has(name)) {
        const [binary, argv] = args;
        if (!binary || !(ts.isStringLiteral(binary) || ts.isNoSubstitutionTemplateLiteral(binary) || /^process\.execPath$/.test(binary.getText()))) {
          problems.push(`${where(node)}: ${name}() of a binary that is not fixed`);
        }
        if (argv && !ts.isArrayLiteralExpression(argv) && !ts.isObjectLiteralExpression(argv)) problems.push(`${where(node)}: ${name}() arguments are not an array`);
      }
    }
    if (ts.isPropertyAssignment(node) && node.name.getText() === 'shell' && node.initializer.kind !== ts.SyntaxKind.FalseKeyword) {
      problems.push(`${where(node)}: shell option`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return problems;
}

describe('security: nothing reaches a shell', () => {
  it('src/ has no shell, no eval, and launches only fixed binaries with argument arrays', () => {
    const files = sourceFiles(SRC);
    assert.ok(files.length > 50, `found ${files.length} source files`);
    const problems = files.flatMap((f) => findShellUses(f, fs.readFileSync(f, 'utf8')));
    assert.deepEqual(problems, []);
  });

  it('the scan itself catches each forbidden form (so a clean result means something)', () => {
    const bad = [
      `import { exec } from 'node:child_process'; exec('git log ' + name);`,
      `import * as cp from 'child_process'; cp.execSync(cmd);`,
      `import { spawn } from 'node:child_process'; spawn(userBinary, ['x']);`,
      `import { spawn } from 'node:child_process'; spawn('git', args.join(' '));`,
      `import { spawn } from 'node:child_process'; spawn('git', ['log'], { shell: true });`,
      `const cp = require('child_process');`,
      `eval(text);`,
      `const f = new Function('a', body);`,
      `import * as vm from 'node:vm';`,
    ];
    for (const code of bad) assert.ok(findShellUses(path.join(SRC, 'x.ts'), code).length > 0, code);
    const good = `import { execFile } from 'node:child_process'; execFile('git', ['rev-parse', 'HEAD'], { shell: false }); const re = /x/.exec(s);`;
    assert.deepEqual(findShellUses(path.join(SRC, 'x.ts'), good), []);
  });
});
