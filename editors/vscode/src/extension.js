// @ts-check
'use strict';

// The VS Code client: colours come from the TextMate grammar alone; every
// other feature (diagnostics, completion, hover, definitions, rename,
// formatting, quick fixes) comes from `track2 lsp`, started over stdio.

const os = require('node:os');
const vscode = require('vscode');
const { LanguageClient, State } = require('vscode-languageclient/node');
const { locateServer } = require('./server');

/** @type {LanguageClient | undefined} */
let client;

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  const output = vscode.window.createOutputChannel('track2', { log: true });
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.commands.registerCommand('track2.restartServer', () => restart(output)),
    vscode.workspace.onDidChangeConfiguration((change) => {
      if (change.affectsConfiguration('track2.server')) {
        restart(output);
      }
    }),
  );
  await start(output);
}

/** @param {vscode.LogOutputChannel} output */
async function start(output) {
  const settings = vscode.workspace.getConfiguration('track2');
  const folder = vscode.workspace.workspaceFolders?.[0];
  const located = locateServer({
    setting: settings.get('server.path', ''),
    workspaceFolder: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
    searchPath: process.env.PATH,
    home: os.homedir(),
  });
  if ('error' in located) {
    output.error(located.error);
    const choice = await vscode.window.showErrorMessage(located.error, 'Open Settings');
    if (choice === 'Open Settings') {
      vscode.commands.executeCommand('workbench.action.openSettings', 'track2.server.path');
    }
    return;
  }
  output.info(`starting ${located.command} lsp`);
  const executable = { command: located.command, args: ['lsp'] };
  client = new LanguageClient(
    'track2',
    'track2 language server',
    { run: executable, debug: executable },
    {
      documentSelector: [
        { scheme: 'file', language: 'track2' },
        { scheme: 'untitled', language: 'track2' },
      ],
      outputChannel: output,
      synchronize: {
        // Every ledger file, so that a change to an included file on disk
        // (a git checkout, another editor) reaches the server.
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.track2'),
      },
      initializationOptions: {
        inlayHints: { enabled: settings.get('inlayHints.enabled', false) },
      },
      middleware: {
        // Filtered here as well as announced to the server, so the setting
        // takes effect at once and whatever the server does.
        provideInlayHints: (document, range, token, next) =>
          vscode.workspace.getConfiguration('track2').get('inlayHints.enabled', false)
            ? next(document, range, token)
            : [],
      },
    },
  );
  try {
    await client.start();
  } catch (error) {
    const message =
      `track2 lsp did not start (${located.command}): ${error instanceof Error ? error.message : error}. ` +
      'A track2 too old to have the `lsp` command fails this way; `track2 --version` tells.';
    output.error(message);
    vscode.window.showErrorMessage(message);
  }
}

/** @param {vscode.LogOutputChannel} output */
async function restart(output) {
  await stop();
  await start(output);
}

async function stop() {
  const running = client;
  client = undefined;
  if (running && running.state !== State.Stopped) {
    await running.stop();
  }
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
