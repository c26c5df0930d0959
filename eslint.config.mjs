// Lint rules that protect the architecture: src/core must stay free of VS Code so it runs in the
// CLI, in worker threads and in plain mocha, and each folder imports only what ARCHITECTURE.md's
// "may import" column allows, so data flows one way (a lower layer never imports a higher one).
import tseslint from 'typescript-eslint';

const VSCODE = { name: 'vscode', message: 'Only src/extension may import vscode: the core runs in the CLI, workers and plain Node.' };

/**
 * The core's folders, lowest first, with the core folders each may import. Files at src/core's top
 * (types, timing, bisect, random, yielding, format, memo) and the report's shape (report/types.ts) sit below every folder
 * and import no folder; every folder may import them.
 */
const CORE_MAY_IMPORT = {
  io: [],
  config: [],
  tokenizers: ['config'],
  corpus: ['config', 'io'],
  chunking: ['config', 'tokenizers'],
  embedding: ['config', 'tokenizers', 'io'],
  index: ['config', 'embedding'],
  metrics: ['config', 'tokenizers', 'index'],
  store: ['config', 'io', 'index', 'metrics'],
  report: ['config', 'tokenizers', 'metrics', 'index/types', 'index/queryScores'],
  pipeline: ['io', 'config', 'tokenizers', 'corpus', 'chunking', 'embedding', 'index', 'metrics', 'store', 'report'],
};
const CORE_FOLDERS = Object.keys(CORE_MAY_IMPORT);

/** Patterns that forbid, from a file of core folder `folder`, every core folder it may not import. */
function coreFolderPatterns(folder) {
  const allowed = CORE_MAY_IMPORT[folder];
  const patterns = [];
  for (const other of CORE_FOLDERS) {
    if (other === folder || allowed.includes(other)) continue;
    const partial = allowed.filter((a) => a.startsWith(`${other}/`)).map((a) => a.slice(other.length + 1));
    // report/types.ts is the report's shape: a leaf every folder may import.
    const leaves = other === 'report' ? ['types', ...partial] : partial;
    const except = leaves.length > 0 ? `(?!(${leaves.join('|')})$)` : '';
    patterns.push({
      regex: `^\\.\\./${other}(\\/${except}|$)`,
      message: `src/core/${folder} may import only ${allowed.length ? allowed.join(', ') : 'no other core folder'} (and src/core's top-level files): see ARCHITECTURE.md, "may import".`,
    });
  }
  return patterns;
}

/** One no-restricted-imports entry: vscode and the given patterns (a later entry replaces an earlier one's options). */
function restrict(files, patterns) {
  return { files, rules: { 'no-restricted-imports': ['error', { paths: [VSCODE], patterns }] } };
}

/** Front doors and the webview are above the core: nothing in src/core reaches them. */
const ABOVE_CORE = { regex: '^(\\.\\./)+(extension|cli|webview|shared)(\\/|$)', message: 'src/core imports nothing outside src/core.' };

export default tseslint.config(
  { ignores: ['dist/**', 'src/generated/**', 'out/**', 'node_modules/**', '.e2e-cache/**', '.models/**', 'bench/.work/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  restrict(['src/core/*.ts'], [
    { regex: `^\\./(${CORE_FOLDERS.join('|')})(\\/|$)`, message: 'src/core\'s top-level files sit below every core folder and import none.' }, ABOVE_CORE,
  ]),
  ...CORE_FOLDERS.map((folder) => restrict([`src/core/${folder}/**/*.ts`], [...coreFolderPatterns(folder), ABOVE_CORE])),
  // The report's shape is a leaf: it imports src/core's top-level types only.
  restrict(['src/core/report/types.ts'], [
    { regex: '^\\./(?!types$)|^\\.\\./[a-z]+\\/', message: 'report/types.ts is a leaf every folder imports: it may import only src/core/types.' }, ABOVE_CORE,
  ]),
  restrict(['src/shared/**/*.ts'], [
    { regex: '^(\\.\\./)+core\\/(?!(types|report\\/types)$)', message: 'src/shared may import only the core\'s types (core/types, core/report/types).' },
    { regex: '^(\\.\\./)+(extension|cli|webview)(\\/|$)', message: 'src/shared sits below the extension, the CLI and the webview.' },
  ]),
  restrict(['src/webview/**/*.ts'], [
    { regex: '^(\\.\\./)+core\\/(?!(types|format|report\\/types|report\\/summary|report\\/anchorSource|report\\/judgement)$)', message: 'The webview may import only the core\'s types, byte format, report summary, anchor-source sentence and judgements: it renders a report, it computes none.' },
    { regex: '^(\\.\\./)+(extension|cli)(\\/|$)', message: 'The webview runs in the browser: it cannot import the extension or the CLI.' },
  ]),
  restrict(['src/cli/**/*.ts'], [
    { regex: '^(\\.\\./)+(extension|webview)(\\/|$)', message: 'The CLI may import the core and src/shared only.' },
  ]),
  // The session worker is a thread of the extension host without vscode: the extension imports its
  // client, it imports the core, src/shared and the extension's pure baseline deltas only.
  restrict(['src/session/**/*.ts'], [
    { regex: '^(\\.\\./)+(cli|webview)(\\/|$)', message: 'The session worker runs the core for the extension: it cannot import the CLI or the webview.' },
    { regex: '^(\\.\\./)+extension\\/(?!baseline$)', message: 'The session worker sits below the extension: of it, only the pure baseline deltas (extension/baseline).' },
  ]),
);
