'use strict';

// The client's wiring, with VS Code and the language client replaced by
// recording fakes (neither can run outside VS Code): which command it
// starts, for which documents, what it says when there is no server, and
// that the inlay-hint setting is obeyed.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');

/** Settings the fake VS Code answers with; each test sets its own. */
let settings = {};
/** What the extension showed and started. */
let shown = [];
let clients = [];

const fakeVscode = {
  window: {
    createOutputChannel: () => ({ info() {}, error() {}, dispose() {} }),
    showErrorMessage: async (message, ...actions) => {
      shown.push({ message, actions });
      return undefined;
    },
  },
  commands: {
    registerCommand: () => ({ dispose() {} }),
    executeCommand: async () => undefined,
  },
  workspace: {
    workspaceFolders: undefined,
    getConfiguration: () => ({ get: (key, fallback) => (key in settings ? settings[key] : fallback) }),
    onDidChangeConfiguration: () => ({ dispose() {} }),
    createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
  },
};

class FakeLanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, state: 2 });
    clients.push(this);
  }
  async start() {}
  async stop() {
    this.state = 1;
  }
}

// Route `require('vscode')` and the language client to the fakes.
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') {
    return 'vscode';
  }
  return resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fakeVscode };
const clientModule = require.resolve('vscode-languageclient/node');
require.cache[clientModule] = {
  id: clientModule,
  filename: clientModule,
  loaded: true,
  exports: { LanguageClient: FakeLanguageClient, State: { Stopped: 1, Running: 2 } },
};

const extension = require('../src/extension');

async function activateWith(newSettings, searchPath) {
  settings = newSettings;
  shown = [];
  clients = [];
  const savedPath = process.env.PATH;
  process.env.PATH = searchPath;
  try {
    await extension.activate({ subscriptions: [] });
  } finally {
    process.env.PATH = savedPath;
  }
}

function serverDirectory() {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'track2-vscode-'));
  const executable = path.join(directory, 'track2');
  fs.writeFileSync(executable, '#!/bin/sh\n');
  fs.chmodSync(executable, 0o755);
  return { directory, executable };
}

test('starts `track2 lsp` from the PATH for track2 documents', { skip: process.platform === 'win32' }, async () => {
  const { directory, executable } = serverDirectory();
  await activateWith({}, directory);
  assert.equal(shown.length, 0, JSON.stringify(shown));
  assert.equal(clients.length, 1);
  const [client] = clients;
  assert.deepEqual(client.serverOptions.run, { command: executable, args: ['lsp'] });
  assert.deepEqual(
    client.clientOptions.documentSelector.map((selector) => selector.language),
    ['track2', 'track2'],
  );
  assert.equal(client.clientOptions.synchronize.fileEvents.glob, '**/*.track2');
  await extension.deactivate();
  assert.equal(client.state, 1, 'deactivating stops the server');
  fs.rmSync(directory, { recursive: true });
});

test('without a server: no client, and a message offering the setting', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'track2-vscode-'));
  await activateWith({}, empty);
  assert.equal(clients.length, 0);
  assert.equal(shown.length, 1);
  assert.match(shown[0].message, /not on the PATH/);
  assert.deepEqual(shown[0].actions, ['Open Settings']);
  fs.rmSync(empty, { recursive: true });
});

test('inlay hints are off by default and follow the setting', { skip: process.platform === 'win32' }, async () => {
  const { directory } = serverDirectory();
  await activateWith({}, directory);
  const { middleware, initializationOptions } = clients[0].clientOptions;
  assert.deepEqual(initializationOptions, { inlayHints: { enabled: false } });
  const hints = [{ label: 'Rusif Huseynov' }];
  const next = () => hints;
  assert.deepEqual(middleware.provideInlayHints(null, null, null, next), []);
  settings = { 'inlayHints.enabled': true };
  assert.equal(middleware.provideInlayHints(null, null, null, next), hints);
  await extension.deactivate();
  fs.rmSync(directory, { recursive: true });
});

test('the word pattern keeps ids whole and stops at a direction arrow', () => {
  const configuration = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'language-configuration.json'), 'utf8'));
  const words = (line) => line.match(new RegExp(configuration.wordPattern, 'g'));
  assert.deepEqual(words('  participants: rusif-huseynov, samvel_m.2, +4 AZ'), [
    'participants',
    'rusif-huseynov',
    'samvel_m.2',
    '4',
    'AZ',
  ]);
  assert.deepEqual(words('2025-10-21..2025-10-22 AM+AZ->NL Հայաստան–Azərbaycan'), [
    '2025-10-21..2025-10-22',
    'AM',
    'AZ',
    'NL',
    'Հայաստան–Azərbaycan',
  ]);
});
