// @ts-check
'use strict';

// Finding the `track2` executable: kept apart from extension.js, which needs
// VS Code, so that `node --test` can check it on its own.

const fs = require('node:fs');
const path = require('node:path');

/**
 * Whether `file` is a file this process may run.
 * @param {string} file
 */
function isExecutable(file) {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * The first `name` on `searchPath`, trying each of Windows' executable
 * extensions there, or undefined.
 * @param {string} name
 * @param {string | undefined} searchPath the PATH variable's value
 * @param {string} platform as process.platform
 * @param {string | undefined} pathExt the PATHEXT variable's value (Windows)
 */
function findOnPath(name, searchPath, platform = process.platform, pathExt = process.env.PATHEXT) {
  const delimiter = platform === 'win32' ? ';' : ':';
  const extensions = platform === 'win32' ? ['', ...(pathExt || '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const directory of (searchPath || '').split(delimiter)) {
    if (directory === '') {
      continue;
    }
    for (const extension of extensions) {
      const candidate = path.join(directory, name + extension.toLowerCase());
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/**
 * Where the server is: the `track2.server.path` setting if given, else
 * `track2` on the PATH. A setting that names no runnable file is an error,
 * not a silent fallback: the user asked for that file.
 *
 * @param {object} options
 * @param {string} options.setting the `track2.server.path` setting, maybe empty
 * @param {string | undefined} options.workspaceFolder where a relative setting starts
 * @param {string | undefined} options.searchPath the PATH variable's value
 * @param {string} [options.home] the user's home directory, for a leading `~`
 * @returns {{ command: string } | { error: string }}
 */
function locateServer({ setting, workspaceFolder, searchPath, home }) {
  const configured = setting.trim();
  if (configured !== '') {
    let file = configured;
    if (home && (file === '~' || file.startsWith('~/'))) {
      file = path.join(home, file.slice(1));
    }
    if (!path.isAbsolute(file) && workspaceFolder) {
      file = path.join(workspaceFolder, file);
    }
    if (isExecutable(file)) {
      return { command: file };
    }
    return {
      error: `The setting track2.server.path is "${configured}", but ${file} is not an executable file.`,
    };
  }
  const found = findOnPath('track2', searchPath);
  if (found) {
    return { command: found };
  }
  return {
    error:
      'The track2 language server was not found: `track2` is not on the PATH and the setting ' +
      'track2.server.path is empty. Install track2 (`cargo install --path .` in its repository) ' +
      'or set track2.server.path to the executable.',
  };
}

module.exports = { findOnPath, locateServer };
