// `npm run test:vscode`: the in-editor suite under @vscode/test-electron, for machines that can
// download VS Code (this project's CI cannot; it runs test/e2e in code-server instead).
'use strict';
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

async function main() {
  const root = path.resolve(__dirname, '../..');
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.cjs'),
      launchArgs: [path.join(__dirname, 'fixture'), '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (err) {
    console.error(`test:vscode failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
}

main();
