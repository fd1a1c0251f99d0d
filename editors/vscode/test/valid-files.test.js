'use strict';

// The grammar on every valid ledger the project has (the conformance corpus
// and the real ledgers): nothing in a file the checker accepts may be
// coloured as a mistake.

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

test('no token of a valid ledger is marked invalid', async () => {
  const grammar = await loadGrammar();
  const files = [
    ...ledgerFiles(path.join(repository, 'grammar', 'tests', 'valid')),
    ...ledgerFiles(path.join(repository, 'ledgers')),
  ];
  assert.ok(files.length > 20, `only ${files.length} files found`);
  const marked = [];
  for (const file of files) {
    // VS Code drops the byte-order mark and splits lines itself.
    const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r\n|\n/);
    let state = textmate.INITIAL;
    lines.forEach((line, index) => {
      const result = grammar.tokenizeLine(line, state);
      for (const token of result.tokens) {
        const invalid = token.scopes.find((scope) => scope.startsWith('invalid.'));
        if (invalid) {
          const text = line.slice(token.startIndex, token.endIndex);
          marked.push(`${path.relative(repository, file)}:${index + 1}: ${JSON.stringify(text)} ${invalid}`);
        }
      }
      state = result.ruleStack;
    });
  }
  assert.deepEqual(marked, []);
});
