" Vim syntax file for track2 ledgers (.track2), as grammar/GRAMMAR.md
" specifies them. Each block is a region that knows its own keys; a key is
" coloured by what its value is; a key, value or line the checker would
" reject on sight shows as an error.

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
" A date of any precision.
let s:date = '\d\{4}\%(-\d\d\%(-\d\d\%(\.\.\d\{4}-\d\d-\d\d\)\=\)\=\)\='

" Of two items that match at one place, Vim takes the one defined last: so
" each catch-all for a mistake is defined before the well-formed items that
" win over it.

" Comments: a whole line whose first non-blank character is `#`.
syntax match track2Comment /^\s*#.*$/ contains=@Spell

" Top-level lines the grammar has no place for: a field line outside any
" block (a block region holds its own), and a line starting with neither a
" blank, `#`, a digit nor a letter.
syntax match track2FieldOutsideBlock /^\s\+[^ \t#].*$/
syntax match track2MalformedLine /^[^ \t#0-9A-Za-z].*$/

" include "PATH"
syntax match track2Include /^include\ze\%(\s\|$\)/ nextgroup=track2IncludeBad,track2IncludePath skipwhite
syntax match track2IncludeBad /\S.\{-}\ze\s*$/ contained
syntax match track2IncludePath /"[^"]\+"/ contained nextgroup=track2IncludeBad skipwhite

" Blocks: from a header to the next line that starts with neither a blank
" nor `#`. An unknown directive owns its field lines too, unchecked, as the
" checker does.
syntax region track2UnknownBlock start=/^\%(include\%(\s\|$\)\)\@![A-Za-z]/ end=/\n\%(\s\|#\|\n\)\@!/
      \ contains=track2UnknownDirective,track2Comment,track2AnyField
syntax match track2UnknownDirective /^[A-Za-z]\S*/ contained
syntax match track2AnyField /^\s\+[^ \t#].*$/ contained

let s:fields = 'track2Comment,track2CustomKey,track2UnknownKey,track2MalformedField,track2FieldWithoutColon'
let s:block_keys = {
      \ 'party': 'track2WikidataKey',
      \ 'org': 'track2PartyKey,track2Key_kind,track2WikidataKey',
      \ 'person': 'track2PartyKey,track2OrgKey,track2PersonTextKey,track2Key_private,track2WikidataKey',
      \ 'format': '',
      \ 'series': '',
      \ }
for [s:keyword, s:keys] in items(s:block_keys)
  execute 'syntax region track2Block_' . s:keyword . ' start=/^' . s:keyword . '\%(\s\|$\)\@=/ end=/\n\%(\s\|#\|\n\)\@!/'
        \ . ' contains=track2Declaration,' . s:fields . (s:keys ==# '' ? '' : ',' . s:keys)
endfor
unlet s:keys

" Declarations: KEYWORD ID NAME.
syntax match track2Declaration /^\%(party\|org\|person\|format\|series\)\ze\%(\s\|$\)/ contained
      \ nextgroup=track2BadId,track2DeclaredId skipwhite
syntax match track2BadId /\S\+/ contained nextgroup=track2Name skipwhite
execute 'syntax match track2DeclaredId /' . s:id . '\ze\%(\s\|$\)/ contained nextgroup=track2Name skipwhite'
syntax match track2Name /\S.\{-}\ze\s*$/ contained

" Engagements: DATE FROM -> TO TITLE, where FROM may join parties with `+`
" and TO may be `online`, or `?` for a host not fixed yet; a direction that
" goes wrong is marked from there.
execute 'syntax region track2Block_engagement start=/^\d\@=/ end=/\n\%(\s\|#\|\n\)\@!/'
      \ . ' contains=track2BadDate,track2Date,' . s:fields
      \ . ',track2EngagementIdKey,track2EngagementTextKey,track2ListKey,track2UrlKey,track2DateKey'
      \ . ',track2Key_track,track2Key_status,track2Key_confidential'
syntax match track2BadDate /^\d\S*/ contained nextgroup=track2BadDirection,track2Party skipwhite
execute 'syntax match track2Date /^' . s:date . '\ze\%(\s\|$\)/ contained contains=track2RangeDots'
      \ . ' nextgroup=track2BadDirection,track2Party skipwhite'
syntax match track2RangeDots /\.\./ contained
syntax match track2BadDirection /\S.\{-}\ze\s*$/ contained
execute 'syntax match track2Party /' . s:id . '/ contained nextgroup=track2BadDirection,track2Joint,track2Arrow skipwhite'
syntax match track2Joint /+/ contained nextgroup=track2BadDirection,track2Party skipwhite
syntax match track2Arrow /->\ze\s*\S/ contained nextgroup=track2BadDirection,track2Destination,track2Online,track2UnknownHost skipwhite
execute 'syntax match track2Destination /' . s:id . '\ze\%(\s\|$\)/ contained nextgroup=track2Title skipwhite'
syntax match track2Online /online\ze\%(\s\|$\)/ contained nextgroup=track2Title skipwhite
" The host side is one: `-> ? + AZ` is no direction.
syntax match track2UnknownHost /?\ze\%(\s*$\|\s\+[^+ \t]\)/ contained nextgroup=track2Title skipwhite
syntax match track2Title /\S.\{-}\ze\s*$/ contained

" A line's colours depend on the block it is in, which may start far above:
" to start parsing anywhere, Vim looks back for the nearest header line and
" takes its block to start there.
syntax sync match track2SyncEngagement grouphere track2Block_engagement /^\ze\d/
for s:keyword in keys(s:block_keys)
  execute 'syntax sync match track2Sync_' . s:keyword . ' grouphere track2Block_' . s:keyword
        \ . ' /^\ze' . s:keyword . '\%(\s\|$\)/'
endfor
unlet s:keyword

" Field lines: `  KEY: VALUE`. Each key leads, through its own colon, to the
" kind of value it takes (GRAMMAR.md §4.1 and §4.2).
syntax match track2FieldWithoutColon /^\s\+[^ \t#:]\%([^:]*\S\)\=\s*$/ contained
syntax match track2MalformedField /^\s\+\zs\%([^ \t#:][^:]*\)\=:/ contained
execute 'syntax match track2UnknownKey /^\s\+\zs' . s:id . '\ze\s*:/ contained nextgroup=track2TextColon skipwhite'
syntax match track2CustomKey /^\s\+\zsx-[A-Za-z0-9._-]\+\ze\s*:/ contained nextgroup=track2TextColon skipwhite

" A value of the wrong shape, which every well-formed value below wins over.
syntax match track2BadValue /\S.\{-}\ze\s*$/ contained

syntax match track2EngagementTextKey /^\s\+\zs\%(venue\|note\)\ze\s*:/ contained nextgroup=track2TextColon skipwhite
syntax match track2PersonTextKey /^\s\+\zs\%(role\|alias\)\ze\s*:/ contained nextgroup=track2TextColon skipwhite
syntax match track2TextColon /:/ contained nextgroup=track2Text skipwhite
syntax match track2Text /\S.\{-}\ze\s*$/ contained

syntax match track2EngagementIdKey /^\s\+\zs\%(id\|format\|series\|reciprocates\)\ze\s*:/ contained
      \ nextgroup=track2IdColon skipwhite
syntax match track2PartyKey /^\s\+\zsparty\ze\s*:/ contained nextgroup=track2IdColon skipwhite
syntax match track2OrgKey /^\s\+\zsorg\ze\s*:/ contained nextgroup=track2IdColon skipwhite
syntax match track2IdColon /:/ contained nextgroup=track2BadValue,track2Reference skipwhite
execute 'syntax match track2Reference /' . s:id . s:end . '/ contained'

syntax match track2ListKey /^\s\+\zs\%(sponsors\|participants\|met\|tags\)\ze\s*:/ contained
      \ nextgroup=track2ListColon skipwhite
syntax match track2ListColon /:/ contained nextgroup=track2List skipwhite
syntax match track2List /.*$/ contained contains=track2ListBadItem,track2ListItem,track2Count,track2Comma,track2EmptyItem
syntax match track2ListBadItem /[^, \t]\%([^,]*[^, \t]\)\=/ contained
execute 'syntax match track2ListItem /\%(^\|[,:]\s*\)\@<=' . s:id . '\ze\s*\%(,\|$\)/ contained'
" A count of unnamed people: `+6 AM`, about six `+~6 AM`, or some `+? AM`.
execute 'syntax match track2Count /\%(^\|[,:]\s*\)\@<=+\%(\~\=0*[1-9]\d*\|?\)\s\+' . s:id . '\ze\s*\%(,\|$\)/ contained'
syntax match track2Comma /,/ contained
" A comma that ends an empty item: nothing before the next comma or the end,
" or a comma first in the value.
syntax match track2EmptyItem /,\ze\s*\%(,\|$\)/ contained
syntax match track2EmptyItem /\%(:\s*\)\@<=,/ contained

" Each enumerated key takes its own words (GRAMMAR.md §4.1, §4.2).
let s:choices = {
      \ 'track': ['1', '1.5', '2'],
      \ 'status': ['held', 'planned', 'postponed', 'cancelled'],
      \ 'confidential': ['chatham-house', 'private'],
      \ 'kind': ['government', 'think-tank', 'ngo', 'university', 'media', 'international', 'other'],
      \ 'private': ['yes'],
      \ }
for [s:key, s:words] in items(s:choices)
  execute 'syntax match track2Key_' . s:key . ' /^\s\+\zs' . s:key . '\ze\s*:/ contained'
        \ . ' nextgroup=track2ChoiceColon_' . s:key . ' skipwhite'
  execute 'syntax match track2ChoiceColon_' . s:key . ' /:/ contained'
        \ . ' nextgroup=track2BadValue,track2Choice_' . s:key . ' skipwhite'
  execute 'syntax match track2Choice_' . s:key . ' /\%(' . join(map(copy(s:words), 'escape(v:val, ".")'), '\|') . '\)'
        \ . s:end . '/ contained'
  execute 'highlight default link track2Key_' . s:key . ' track2Key'
  execute 'highlight default link track2Choice_' . s:key . ' track2Choice'
endfor
unlet s:key s:words

syntax match track2UrlKey /^\s\+\zssource\ze\s*:/ contained nextgroup=track2UrlColon skipwhite
syntax match track2UrlColon /:/ contained nextgroup=track2BadValue,track2Url skipwhite
execute 'syntax match track2Url /https\=:\/\/\S\+' . s:end . '/ contained'

syntax match track2DateKey /^\s\+\zsembargo\ze\s*:/ contained nextgroup=track2DateColon skipwhite
syntax match track2DateColon /:/ contained nextgroup=track2BadValue,track2DateValue skipwhite
execute 'syntax match track2DateValue /' . s:date . s:end . '/ contained contains=track2RangeDots'

syntax match track2WikidataKey /^\s\+\zswikidata\ze\s*:/ contained nextgroup=track2WikidataColon skipwhite
syntax match track2WikidataColon /:/ contained nextgroup=track2BadValue,track2Wikidata skipwhite
execute 'syntax match track2Wikidata /Q\d\+' . s:end . '/ contained'

" Keys are coloured alike, whatever their value.
highlight default link track2Key Type
for s:group in ['EngagementTextKey', 'PersonTextKey', 'EngagementIdKey', 'PartyKey', 'OrgKey', 'ListKey',
      \ 'UrlKey', 'DateKey', 'WikidataKey']
  execute 'highlight default link track2' . s:group . ' track2Key'
endfor
unlet s:group

highlight default link track2Comment Comment
highlight default link track2Declaration Keyword
highlight default link track2Include Include
highlight default link track2IncludeBad Error
highlight default link track2IncludePath String
highlight default link track2UnknownDirective Error
highlight default link track2DeclaredId Function
highlight default link track2BadId Error
highlight default link track2Name String
highlight default link track2Date Number
highlight default link track2BadDate Error
highlight default link track2RangeDots Delimiter
highlight default link track2BadDirection Error
highlight default link track2Party Identifier
highlight default link track2Joint Operator
highlight default link track2Arrow Operator
highlight default link track2Destination Identifier
highlight default link track2Online Constant
highlight default link track2Title Title
highlight default link track2UnknownKey Error
highlight default link track2CustomKey PreProc
highlight default link track2Text String
highlight default link track2Reference Identifier
highlight default link track2ListItem Identifier
highlight default link track2ListBadItem Error
highlight default link track2Count Number
highlight default link track2UnknownHost Constant
highlight default link track2Comma Delimiter
highlight default link track2EmptyItem Error
highlight default link track2Choice Constant
highlight default link track2Url Underlined
highlight default link track2DateValue Number
highlight default link track2Wikidata Constant
highlight default link track2BadValue Error
highlight default link track2FieldWithoutColon Error
highlight default link track2MalformedField Error
highlight default link track2FieldOutsideBlock Error
highlight default link track2MalformedLine Error

let b:current_syntax = 'track2'

let &cpo = s:cpo_save
unlet s:cpo_save
