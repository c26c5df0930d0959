// Extension entry point: a thin adapter from VS Code to the core (filled in by the extension issue).
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
