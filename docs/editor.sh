#!/usr/bin/env bash
# Remakes docs/editor.png: Neovim under tmux, with track2 lsp on a copy of
# ledgers/, showing a diagnostic and a completion menu. The pane is captured
# as ANSI text (tmux capture-pane -e -p), rendered to HTML by
# docs/editor-ansi2html.py and screenshotted by headless Chromium.
#
# Needs nvim (0.7 or later), tmux, python3, chromium and a built
# target/debug/track2. Not run by CI: the picture is looked at, not tested.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'tmux kill-session -t track2-editor 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r "$repo/ledgers" "$work/"
cat >"$work/init.lua" <<LUA
vim.opt.runtimepath:append("$repo/editors/vim")
vim.cmd("filetype plugin indent on")
vim.cmd("syntax on")
vim.opt.number = true
vim.opt.signcolumn = "yes"
vim.opt.wrap = false
vim.opt.swapfile = false
vim.opt.pumheight = 8
vim.opt.completeopt = { "menuone", "noinsert" }
vim.opt.shortmess:append("c")
vim.diagnostic.config({ update_in_insert = true })
vim.api.nvim_create_autocmd("FileType", {
  pattern = "track2",
  callback = function(args)
    local client = vim.lsp.start_client({
      name = "track2",
      cmd = { "$repo/target/debug/track2", "lsp" },
      root_dir = "$work",
    })
    vim.lsp.buf_attach_client(args.buf, client)
    vim.bo[args.buf].omnifunc = "v:lua.vim.lsp.omnifunc"
  end,
})
LUA
cd "$work"
tmux new-session -d -s track2-editor -x 110 -y 30 "TERM=tmux-256color nvim -u init.lua ledgers/2025.track2"
keys() { tmux send-keys -t track2-editor "$@"; sleep 1; }
sleep 5
keys 33Gzt
# Misspell the Orbeli Forum's sponsor: orbeli-center -> orbeli-centre.
keys '40G$' xxa re Escape
# Start a new participant and ask for completion.
keys 41G 'A, '
keys C-x C-o
sleep 1
tmux capture-pane -t track2-editor -e -p >"$work/screen.ansi"
python3 "$repo/docs/editor-ansi2html.py" "$work/screen.ansi" 110 >"$work/screen.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1024,612 \
  --screenshot="$repo/docs/editor.png" "file://$work/screen.html" 2>/dev/null
