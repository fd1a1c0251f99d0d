" Vim filetype plugin for track2 ledgers (.track2).
" Comments, formatting through `track2 fmt -`, ids as words, and `:make`
" through `track2 check --output gnu` (compiler/track2.vim).

if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

let s:cpo_save = &cpo
set cpo&vim

" A line whose first non-blank character is `#` is a comment; there are no
" trailing comments.
setlocal comments=:# commentstring=#\ %s
" `gq` writes the canonical form, the same as `track2 fmt` on the command
" line. Use `gggqG` on a whole file: fields are reordered within a block.
setlocal formatprg=track2\ fmt\ -
" Ids such as `rusif-huseynov`, `pb-1` and `samvel_m.2` are one word for
" `w`, `*` and completion.
setlocal iskeyword=@,48-57,_,-,.,192-255
" Fields are indented two spaces (GRAMMAR.md §8.3).
setlocal expandtab shiftwidth=2 softtabstop=2
" Free text is never rewrapped by the formatter; neither should typing.
setlocal formatoptions-=t formatoptions+=croql

if !exists('b:current_compiler')
  compiler track2
endif

let b:undo_ftplugin = 'setlocal comments< commentstring< formatprg< iskeyword<'
      \ . ' expandtab< shiftwidth< softtabstop< formatoptions< makeprg< errorformat<'
      \ . ' | unlet! b:current_compiler'

let &cpo = s:cpo_save
unlet s:cpo_save
