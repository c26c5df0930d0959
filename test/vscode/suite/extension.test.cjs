// Inside real VS Code (@vscode/test-electron): the extension activates from its package, registers
// every contributed command, and a comparison of the fixture workspace writes the last report.
'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');

const ID = 'embedding-drift.embedding-drift';

describe('Embedding Drift inside VS Code', () => {
  it('activates and registers every contributed command', async () => {
    const extension = vscode.extensions.getExtension(ID);
    assert.ok(extension, `${ID} is installed`);
    await extension.activate();
    const contributed = extension.packageJSON.contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of contributed) assert.ok(registered.has(id), id);
  });

  it('compares the fixture workspace and stores the report it shows', async () => {
    const extension = vscode.extensions.getExtension(ID);
    const api = await extension.activate();
    await vscode.commands.executeCommand('embeddingDrift.compare');
    const report = await api.lastReport();
    assert.ok(report, 'a report was stored');
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.configs.a.label, 'paragraphs');
    assert.equal(report.configs.b.label, 'sections');
    assert.ok(report.chunks.a > report.chunks.b, 'smaller chunks under A');
  });
});
