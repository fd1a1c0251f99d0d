'use strict';

// The grammar on the conformance corpus and the real ledgers: nothing in a
// file the checker accepts is coloured as a mistake, and every mistake the
// grammar can see on its own line is.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');
const oniguruma = require('vscode-oniguruma');
const textmate = require('vscode-textmate');

const repository = path.join(__dirname, '..', '..', '..');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async () => {
      const file = path.join(__dirname, '..', 'syntaxes', 'track2.tmLanguage.json');
      return textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  return registry.loadGrammar('source.track2');
}

/** Every `.track2` file below `directory`. */
function ledgerFiles(directory) {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      return ledgerFiles(file);
    }
    return entry.name.endsWith('.track2') ? [file] : [];
  });
}

/** The line numbers (1-based) of `file` that hold a token marked invalid. */
function markedLines(grammar, file) {
  // VS Code drops the byte-order mark and splits lines itself.
  const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r\n|\n/);
  const marked = new Map();
  let state = textmate.INITIAL;
  lines.forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      const invalid = token.scopes.find((scope) => scope.startsWith('invalid.'));
      if (invalid && !marked.has(index + 1)) {
        marked.set(index + 1, `${JSON.stringify(line.slice(token.startIndex, token.endIndex))} ${invalid}`);
      }
    }
    state = result.ruleStack;
  });
  return marked;
}

test('no token of a valid ledger is marked invalid', async () => {
  const grammar = await loadGrammar();
  const files = [
    ...ledgerFiles(path.join(repository, 'grammar', 'tests', 'valid')),
    ...ledgerFiles(path.join(repository, 'ledgers')),
  ];
  assert.ok(files.length > 20, `only ${files.length} files found`);
  const marked = [];
  for (const file of files) {
    for (const [line, token] of markedLines(grammar, file)) {
      marked.push(`${path.relative(repository, file)}:${line}: ${token}`);
    }
  }
  assert.deepEqual(marked, []);
});

// The codes whose fault shows on its line alone, without the rest of the
// ledger: the grammar marks each of them. (Others need the whole ledger, such
// as an undeclared id, or the calendar, such as 2025-02-30.)
const LEXICAL = [
  'empty-list-item',
  'field-outside-block',
  'invalid-count',
  'invalid-url',
  'invalid-value',
  'malformed-direction',
  'malformed-field',
  'malformed-include',
  'malformed-line',
  'missing-colon',
  'unknown-directive',
  'unknown-field',
];

test('every mistake visible on its line is marked there', async () => {
  const grammar = await loadGrammar();
  const directory = path.join(repository, 'grammar', 'tests', 'invalid');
  const missed = [];
  const seen = new Set();
  for (const name of fs.readdirSync(directory).filter((name) => name.endsWith('.errors'))) {
    const file = path.join(directory, name.replace(/\.errors$/, '.track2'));
    if (!fs.existsSync(file)) {
      continue; // a directory case, whose errors name their files
    }
    const marked = markedLines(grammar, file);
    for (const expectation of fs.readFileSync(path.join(directory, name), 'utf8').split('\n')) {
      const [position, code] = expectation.trim().split(' ');
      if (!code || position.startsWith('#') || !LEXICAL.includes(code)) {
        continue;
      }
      seen.add(code);
      const line = Number(position.split(':')[0]);
      if (!marked.has(line)) {
        missed.push(`${name.replace(/\.errors$/, '.track2')}:${line} ${code}`);
      }
    }
  }
  assert.deepEqual(missed, []);
  assert.deepEqual([...seen].sort(), LEXICAL, 'each code has a case in the corpus');
});
