// Lint rules that protect the architecture: src/core must stay free of VS Code so it runs in the
// CLI, in worker threads and in plain mocha.
import tseslint from 'typescript-eslint';

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
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts', 'src/cli/**/*.ts', 'src/webview/**/*.ts', 'src/session/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Only src/extension may import vscode: the core runs in the CLI, workers and plain Node.' }],
      }],
    },
  },
);
