" Vim syntax file for track2 ledgers (.track2), as grammar/GRAMMAR.md
" specifies them. Keys are coloured by what their value is; a key, value or
" line the checker would reject shows as an error.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syntax case match
" Ids hold `-`, `.` and `_`: one word for `\<` and `\>` too.
syntax iskeyword @,48-57,_,-,.

" An id (GRAMMAR.md §3): a letter, then letters, digits, `.`, `_` and `-`,
" never the `-` of a following `->`.
let s:id = '[A-Za-z]\%([A-Za-z0-9._]\|->\@!\)*'
" The end of a value: blanks to the end of the line.
let s:end = '\ze\s*$'

" Comments: a whole line whose first non-blank character is `#`.
syntax match track2Comment /^\s*#.*$/ contains=@Spell

" Declarations: KEYWORD ID NAME.
syntax match track2Declaration /^\%(party\|org\|person\|format\|series\)\ze\%(\s\|$\)/
      \ nextgroup=track2DeclaredId,track2BadId skipwhite
syntax match track2BadId /\S\+/ contained nextgroup=track2Name skipwhite
execute 'syntax match track2DeclaredId /' . s:id . '\ze\%(\s\|$\)/ contained nextgroup=track2Name skipwhite'
syntax match track2Name /\S.\{-}\ze\s*$/ contained

" include "PATH"
syntax match track2Include /^include\ze\%(\s\|$\)/ nextgroup=track2IncludePath skipwhite
syntax match track2IncludePath /"[^"]\+"/ contained

" Engagement headers: DATE FROM -> TO TITLE, where FROM may join parties
" with `+` and TO may be `online`.
syntax match track2BadDate /^\d\S*/ nextgroup=track2Party skipwhite
syntax match track2Date /^\d\{4}\%(-\d\d\%(-\d\d\%(\.\.\d\{4}-\d\d-\d\d\)\=\)\=\)\=\ze\%(\s\|$\)/
      \ contains=track2RangeDots nextgroup=track2Party skipwhite
syntax match track2RangeDots /\.\./ contained
execute 'syntax match track2Party /' . s:id . '/ contained nextgroup=track2Joint,track2Arrow skipwhite'
syntax match track2Joint /+/ contained nextgroup=track2Party skipwhite
syntax match track2Arrow /->/ contained nextgroup=track2Destination,track2Online skipwhite
execute 'syntax match track2Destination /' . s:id . '/ contained nextgroup=track2Title skipwhite'
syntax match track2Online /online\ze\%(\s\|$\)/ contained nextgroup=track2Title skipwhite
syntax match track2Title /\S.\{-}\ze\s*$/ contained

" Field lines: `  KEY: VALUE`. Each key leads, through its own colon, to the
" kind of value it takes (GRAMMAR.md §4.1 and §4.2). Defined first, so that
" every later, more particular key wins over it: a key no block takes.
execute 'syntax match track2UnknownKey /^\s\+\zs' . s:id . '\ze\s*:/ nextgroup=track2TextColon skipwhite'
syntax match track2CustomKey /^\s\+\zsx-[A-Za-z0-9._-]\+\ze\s*:/ nextgroup=track2TextColon skipwhite

" A value of the wrong shape. Of two items that match at one place, Vim
" takes the one defined last: every well-formed value below wins over it.
syntax match track2BadValue /\S.\{-}\ze\s*$/ contained

syntax match track2TextKey /^\s\+\zs\%(role\|alias\|venue\|note\)\ze\s*:/ nextgroup=track2TextColon skipwhite
syntax match track2TextColon /:/ contained nextgroup=track2Text skipwhite
syntax match track2Text /\S.\{-}\ze\s*$/ contained

syntax match track2IdKey /^\s\+\zs\%(id\|party\|org\|format\|series\|reciprocates\)\ze\s*:/
      \ nextgroup=track2IdColon skipwhite
syntax match track2IdColon /:/ contained nextgroup=track2BadValue,track2Reference skipwhite
execute 'syntax match track2Reference /' . s:id . s:end . '/ contained'

syntax match track2ListKey /^\s\+\zs\%(sponsors\|participants\|met\|tags\)\ze\s*:/
      \ nextgroup=track2ListColon skipwhite
syntax match track2ListColon /:/ contained nextgroup=track2List skipwhite
syntax match track2List /.*$/ contained contains=track2ListBadItem,track2ListItem,track2Count,track2Comma
syntax match track2ListBadItem /[^, \t]\%([^,]*[^, \t]\)\=/ contained
execute 'syntax match track2ListItem /\%(^\|[,:]\s*\)\@<=' . s:id . '\ze\s*\%(,\|$\)/ contained'
execute 'syntax match track2Count /\%(^\|[,:]\s*\)\@<=+\d\+\s\+' . s:id . '\ze\s*\%(,\|$\)/ contained'
syntax match track2Comma /,/ contained

" Each enumerated key takes its own words (GRAMMAR.md §4.1, §4.2).
let s:choices = {
      \ 'track': ['1', '1.5', '2'],
      \ 'status': ['held', 'planned', 'postponed', 'cancelled'],
      \ 'confidential': ['chatham-house', 'private'],
      \ 'kind': ['government', 'think-tank', 'ngo', 'university', 'media', 'international', 'other'],
      \ 'private': ['yes'],
      \ }
for [s:key, s:words] in items(s:choices)
  execute 'syntax match track2ChoiceKey /^\s\+\zs' . s:key . '\ze\s*:/ nextgroup=track2ChoiceColon_' . s:key . ' skipwhite'
  execute 'syntax match track2ChoiceColon_' . s:key . ' /:/ contained'
        \ . ' nextgroup=track2BadValue,track2Choice_' . s:key . ' skipwhite'
  execute 'syntax match track2Choice_' . s:key . ' /\%(' . join(map(copy(s:words), 'escape(v:val, ".")'), '\|') . '\)'
        \ . s:end . '/ contained'
  execute 'highlight default link track2Choice_' . s:key . ' track2Choice'
endfor
unlet s:key s:words

syntax match track2UrlKey /^\s\+\zssource\ze\s*:/ nextgroup=track2UrlColon skipwhite
syntax match track2UrlColon /:/ contained nextgroup=track2BadValue,track2Url skipwhite
execute 'syntax match track2Url /https\=:\/\/\S\+' . s:end . '/ contained'

syntax match track2DateKey /^\s\+\zsembargo\ze\s*:/ nextgroup=track2DateColon skipwhite
syntax match track2DateColon /:/ contained nextgroup=track2BadValue,track2DateValue skipwhite
execute 'syntax match track2DateValue /\d\{4}\%(-\d\d\%(-\d\d\%(\.\.\d\{4}-\d\d-\d\d\)\=\)\=\)\='
      \ . s:end . '/ contained contains=track2RangeDots'

syntax match track2WikidataKey /^\s\+\zswikidata\ze\s*:/ nextgroup=track2WikidataColon skipwhite
syntax match track2WikidataColon /:/ contained nextgroup=track2BadValue,track2Wikidata skipwhite
execute 'syntax match track2Wikidata /Q\d\+' . s:end . '/ contained'

" Lines the grammar has no place for.
syntax match track2FieldWithoutColon /^\s\+[^ \t#:]\%([^:]*\S\)\=\s*$/
syntax match track2MalformedLine /^[^ \t#0-9A-Za-z].*$/

highlight default link track2Comment Comment
highlight default link track2Declaration Keyword
highlight default link track2Include Include
highlight default link track2DeclaredId Function
highlight default link track2BadId Error
highlight default link track2Name String
highlight default link track2IncludePath String
highlight default link track2Date Number
highlight default link track2BadDate Error
highlight default link track2RangeDots Delimiter
highlight default link track2Party Identifier
highlight default link track2Joint Operator
highlight default link track2Arrow Operator
highlight default link track2Destination Identifier
highlight default link track2Online Constant
highlight default link track2Title Title
highlight default link track2UnknownKey Error
highlight default link track2CustomKey PreProc
highlight default link track2TextKey Type
highlight default link track2IdKey Type
highlight default link track2ListKey Type
highlight default link track2ChoiceKey Type
highlight default link track2UrlKey Type
highlight default link track2DateKey Type
highlight default link track2WikidataKey Type
highlight default link track2Text String
highlight default link track2Reference Identifier
highlight default link track2ListItem Identifier
highlight default link track2ListBadItem Error
highlight default link track2Count Number
highlight default link track2Comma Delimiter
highlight default link track2Choice Constant
highlight default link track2Url Underlined
highlight default link track2DateValue Number
highlight default link track2Wikidata Constant
highlight default link track2BadValue Error
highlight default link track2FieldWithoutColon Error
highlight default link track2MalformedLine Error

let b:current_syntax = 'track2'

let &cpo = s:cpo_save
unlet s:cpo_save
