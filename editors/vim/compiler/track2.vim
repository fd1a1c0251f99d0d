" Vim compiler file for track2 ledgers: `:make` runs `track2 check` on the
" ledger (./ledgers, $TRACK2_LEDGER or track2.toml, as on the command line;
" `:make %` checks the current file) and fills the quickfix list.
"
" `--output gnu` prints one line per diagnostic,
"   FILE:LINE:COL: error: MESSAGE [CODE]   (or warning:)
" then, for a hint or a related place, lines of the form
"   FILE:LINE:COL: note: TEXT
" which are read here as the continuation of the diagnostic above.
"
" Columns count characters. `%v` reads them as screen columns, which is the
" same for Armenian, Azerbaijani and any text without tabs or double-width
" characters before the column; `%c` would read bytes.

if exists('current_compiler')
  finish
endif
let current_compiler = 'track2'

if exists(':CompilerSet') != 2
  command -nargs=* CompilerSet setlocal <args>
endif

let s:cpo_save = &cpo
set cpo&vim

CompilerSet makeprg=track2\ check\ --output\ gnu
CompilerSet errorformat=%E%f:%l:%v:\ error:\ %m,
      \%W%f:%l:%v:\ warning:\ %m,
      \%C%f:%l:%v:\ note:\ %m

let &cpo = s:cpo_save
unlet s:cpo_save
