'use strict';

// How the client finds `track2`: the setting first, then the PATH, and a
// clear message when neither has it.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');
const { findOnPath, locateServer } = require('../src/server');

/** A temporary directory holding an executable `track2` and a plain file. */
function fixture() {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'track2-vscode-'));
  const executable = path.join(directory, 'track2');
  fs.writeFileSync(executable, '#!/bin/sh\n');
  fs.chmodSync(executable, 0o755);
  const plain = path.join(directory, 'plain');
  fs.writeFileSync(plain, '');
  fs.chmodSync(plain, 0o644);
  return { directory, executable, plain };
}

test('the setting wins over the PATH', { skip: process.platform === 'win32' }, () => {
  const { directory, executable } = fixture();
  const other = fixture();
  const located = locateServer({ setting: executable, workspaceFolder: undefined, searchPath: other.directory });
  assert.deepEqual(located, { command: executable });
  fs.rmSync(directory, { recursive: true });
  fs.rmSync(other.directory, { recursive: true });
});

test('a relative setting starts at the workspace folder', { skip: process.platform === 'win32' }, () => {
  const { directory, executable } = fixture();
  const located = locateServer({ setting: 'track2', workspaceFolder: directory, searchPath: '' });
  assert.deepEqual(located, { command: executable });
  fs.rmSync(directory, { recursive: true });
});

test('a leading ~ is the home directory', { skip: process.platform === 'win32' }, () => {
  const { directory, executable } = fixture();
  const located = locateServer({ setting: '~/track2', workspaceFolder: undefined, searchPath: '', home: directory });
  assert.deepEqual(located, { command: executable });
  fs.rmSync(directory, { recursive: true });
});

test('a setting that names no executable is an error, not a fallback', { skip: process.platform === 'win32' }, () => {
  const { directory, plain } = fixture();
  const located = locateServer({ setting: plain, workspaceFolder: undefined, searchPath: directory });
  assert.ok('error' in located);
  assert.match(located.error, /track2\.server\.path/);
  assert.match(located.error, /not an executable file/);
  fs.rmSync(directory, { recursive: true });
});

test('without a setting, track2 is looked up on the PATH in order', { skip: process.platform === 'win32' }, () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'track2-vscode-'));
  const { directory, executable } = fixture();
  const searchPath = ['', empty, directory].join(':');
  assert.equal(findOnPath('track2', searchPath, 'linux'), executable);
  assert.deepEqual(locateServer({ setting: '  ', workspaceFolder: undefined, searchPath }), { command: executable });
  fs.rmSync(directory, { recursive: true });
  fs.rmSync(empty, { recursive: true });
});

test('neither setting nor PATH: a message that says what to do', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'track2-vscode-'));
  const located = locateServer({ setting: '', workspaceFolder: undefined, searchPath: empty });
  assert.ok('error' in located);
  assert.match(located.error, /not on the PATH/);
  assert.match(located.error, /track2\.server\.path/);
  fs.rmSync(empty, { recursive: true });
});
