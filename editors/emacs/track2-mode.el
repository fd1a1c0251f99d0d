;;; track2-mode.el --- Major mode for track2 ledgers  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages
;; SPDX-License-Identifier: MIT OR Apache-2.0

;;; Commentary:

;; Editing `.track2' ledgers of Track 2 and Track 1.5 diplomacy, as
;; grammar/GRAMMAR.md specifies them: colours for every kind of token,
;; `#' comments, imenu entries for declarations and engagements, `M-x
;; compile' through `track2 check --output gnu' (`M-x track2-check'),
;; `M-x track2-format-buffer' through `track2 fmt -', and the language
;; server `track2 lsp' for Eglot.
;;
;; Setup:
;;
;;   (add-to-list 'load-path "/path/to/track2/editors/emacs")
;;   (require 'track2-mode)
;;   (add-hook 'track2-mode-hook #'eglot-ensure)   ; optional

;;; Code:

(require 'compile)
(require 'subr-x)

(defgroup track2 nil
  "Track 2 diplomacy ledgers."
  :group 'languages
  :prefix "track2-")

(defcustom track2-program "track2"
  "The `track2' executable."
  :type 'string)

;; The words of the format. tests/it/editors/emacs.rs checks these lists
;; against the schema the checker uses, so a new field cannot go uncoloured.

(defconst track2-directives '("party" "org" "person" "format" "series" "include")
  "The six directive keywords that start a line.")

(defconst track2-field-keys
  '(("party" . (wikidata))
    ("org" . (party kind wikidata))
    ("person" . (party org role alias private wikidata))
    ("format" . ())
    ("series" . ())
    ("engagement" . (id format track series reciprocates status confidential embargo
                        venue sponsors participants met source note tags)))
  "The keys each kind of block takes.")

(defconst track2-enumerations
  '((kind "government" "think-tank" "ngo" "university" "media" "international" "other")
    (private "yes")
    (track "1" "1.5" "2")
    (status "held" "planned" "postponed" "cancelled")
    (confidential "chatham-house" "private"))
  "The words an enumerated key takes.")

(defconst track2--id "[A-Za-z]\\(?:[A-Za-z0-9._]\\|-+[A-Za-z0-9._]\\)*"
  "An id. Never the `-' of a following `->'.")

(defconst track2--end "[ \t]*$"
  "Blanks to the end of the line, after a value.")

(defun track2--key (keys)
  "A regexp for a field line with one of KEYS; group 1 is the key."
  (concat "^[ \t]+\\(" (regexp-opt (mapcar (lambda (key) (format "%s" key)) keys)) "\\)[ \t]*:[ \t]*"))

(defun track2--all-keys ()
  "Every key of every block, once."
  (delete-dups (apply #'append (mapcar #'cdr track2-field-keys))))

(defun track2--list-items (limit)
  "Find the next list item before LIMIT: group 1 a count, group 2 an id.
An item starts at point (the value's start, or just after the previous
item and its comma) or after a comma."
  (re-search-forward
   (concat "\\(?:\\=\\|,\\)[ \t]*\\(?:\\(\\+\\(?:~?0*[1-9][0-9]*\\|\\?\\)[ \t]+" track2--id "\\)\\|\\(" track2--id "\\)\\)"
           "[ \t]*\\(?:,\\|$\\)")
   limit t))

(defun track2--empty-items (limit)
  "Find the next comma before LIMIT that ends an empty list item.
That is a comma with nothing but blanks before the next comma or the end
of the line, or a comma first in the value."
  (let (found)
    (while (and (not found) (re-search-forward "," limit t))
      (when (or (looking-at-p "[ \t]*\\(?:,\\|$\\)")
                (save-excursion
                  (goto-char (match-beginning 0))
                  (skip-chars-backward " \t")
                  (eq (char-before) ?:)))
        (setq found t)))
    found))

(defun track2--font-lock-keywords ()
  "The font-lock rules, one per kind of token."
  (let ((date "[0-9]\\{4\\}\\(?:-[0-9][0-9]\\(?:-[0-9][0-9]\\(?:\\.\\.[0-9]\\{4\\}-[0-9][0-9]-[0-9][0-9]\\)?\\)?\\)?"))
    (append
     `(;; KEYWORD ID NAME
       (,(concat "^\\(party\\|org\\|person\\|format\\|series\\)\\(?:[ \t]+\\(" track2--id "\\)\\)?"
                 "\\(?:[ \t]+\\(.*?\\)\\)?" track2--end)
        (1 font-lock-keyword-face) (2 font-lock-function-name-face nil t) (3 font-lock-string-face nil t))
       ;; include "PATH"
       ("^\\(include\\)\\(?:[ \t]+\\(\"[^\"\n]+\"\\)\\)?"
        (1 font-lock-preprocessor-face) (2 font-lock-string-face nil t))
       ;; DATE FROM -> TO TITLE
       (,(concat "^\\(" date "\\)[ \t]+\\(" track2--id "\\(?:[ \t]*\\+[ \t]*" track2--id "\\)*\\)"
                 "[ \t]*\\(->\\)[ \t]*\\(?:\\(online\\|\\?\\)\\|\\(" track2--id "\\)\\)"
                 "\\(?:[ \t]+\\(.*?\\)\\)?" track2--end)
        (1 font-lock-constant-face) (2 font-lock-type-face) (3 font-lock-builtin-face)
        (4 font-lock-constant-face nil t) (5 font-lock-type-face nil t) (6 font-lock-doc-face nil t)
        ("\\+" (progn (goto-char (match-beginning 2)) (match-end 2)) (end-of-line)
         (0 font-lock-builtin-face t)))
       ;; Field values, by what the key takes.
       (,(concat (track2--key '(id)) "\\(" track2--id "\\)" track2--end)
        (2 font-lock-function-name-face))
       (,(concat (track2--key '(party org format series reciprocates)) "\\(" track2--id "\\)" track2--end)
        (2 font-lock-type-face))
       (,(concat (track2--key '(embargo)) "\\(" date "\\)" track2--end)
        (2 font-lock-constant-face))
       (,(concat (track2--key '(source)) "\\(https?://[^ \t\n]+\\)" track2--end)
        (2 'link))
       (,(concat (track2--key '(wikidata)) "\\(Q[0-9]+\\)" track2--end)
        (2 font-lock-constant-face))
       (,(track2--key '(sponsors participants met tags))
        (track2--list-items (line-end-position) nil
                            (1 font-lock-constant-face nil t) (2 font-lock-type-face nil t)))
       (,(track2--key '(sponsors participants met tags))
        (track2--empty-items (line-end-position) nil (0 font-lock-warning-face t))))
     (mapcar (lambda (enumeration)
               `(,(concat (track2--key (list (car enumeration))) "\\(" (regexp-opt (cdr enumeration)) "\\)" track2--end)
                 (2 font-lock-constant-face)))
             track2-enumerations)
     `(;; Keys: the known ones, custom `x-' ones, and any other, which the
       ;; checker rejects.
       (,(concat "^[ \t]+\\(" (regexp-opt (mapcar #'symbol-name (track2--all-keys))) "\\)[ \t]*:")
        (1 font-lock-variable-name-face))
       ("^[ \t]+\\(x-[A-Za-z0-9._-]+\\)[ \t]*:" (1 font-lock-preprocessor-face))
       (,(concat "^[ \t]+\\(" track2--id "\\)[ \t]*:") (1 font-lock-warning-face keep))))))

(defvar track2-mode-syntax-table
  (let ((table (make-syntax-table)))
    ;; `#' starts a comment only as a line's first non-blank character (see
    ;; `track2--syntax-propertize'); elsewhere, as in URLs, it is text.
    (modify-syntax-entry ?# "." table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?\" "\"" table)
    (dolist (character '(?- ?. ?_))
      (modify-syntax-entry character "_" table))
    table)
  "Syntax table for `track2-mode': ids keep `-', `.' and `_' as symbol characters.")

(defun track2--syntax-propertize (start end)
  "Mark whole-line `#' comments between START and END."
  (funcall (syntax-propertize-rules ("^[ \t]*\\(#\\)" (1 "<"))) start end))

(defvar track2-imenu-generic-expression
  `(("Engagements" "^\\([0-9][^ \t\n]*[ \t]+[^\n]*[^ \t\n]\\)" 1)
    ("Series" ,(concat "^series[ \t]+\\(" track2--id "\\)") 1)
    ("Formats" ,(concat "^format[ \t]+\\(" track2--id "\\)") 1)
    ("Persons" ,(concat "^person[ \t]+\\(" track2--id "\\)") 1)
    ("Orgs" ,(concat "^org[ \t]+\\(" track2--id "\\)") 1)
    ("Parties" ,(concat "^party[ \t]+\\(" track2--id "\\)") 1))
  "Imenu entries: each declaration by kind, and each engagement's header.")

(defun track2-check ()
  "Check the ledger with `track2 check --output gnu', in a compilation buffer.
The ledger is the one `track2 check' finds from the current directory."
  (interactive)
  (compile (concat track2-program " check --output gnu")))

(defun track2-format-buffer ()
  "Rewrite the buffer in canonical form with `track2 fmt -'.
A buffer with syntax errors is left as it is, and the errors are shown."
  (interactive)
  (let ((output (generate-new-buffer " *track2 fmt*"))
        (errors (make-temp-file "track2-fmt")))
    (unwind-protect
        (let ((status (call-process-region (point-min) (point-max) track2-program nil
                                           (list output errors) nil "fmt" "-")))
          (if (eql status 0)
              (replace-buffer-contents output)
            (message "track2 fmt: %s"
                     (with-temp-buffer (insert-file-contents errors) (string-trim (buffer-string))))))
      (kill-buffer output)
      (delete-file errors))))

;;;###autoload
(define-derived-mode track2-mode prog-mode "track2"
  "Major mode for track2 ledgers of Track 2 diplomacy."
  :syntax-table track2-mode-syntax-table
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+[ \t]*")
  (setq-local comment-use-syntax t)
  (setq-local syntax-propertize-function #'track2--syntax-propertize)
  (setq-local font-lock-defaults '(track2--font-lock-keywords-value nil nil))
  (setq-local imenu-generic-expression track2-imenu-generic-expression)
  (setq-local indent-tabs-mode nil)
  (setq-local tab-width 2)
  (setq-local compile-command (concat track2-program " check --output gnu")))

(defvar track2--font-lock-keywords-value (track2--font-lock-keywords)
  "The font-lock rules, computed once.")

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.track2\\'" . track2-mode))

(with-eval-after-load 'eglot
  (defvar eglot-server-programs)
  (add-to-list 'eglot-server-programs `(track2-mode . (,track2-program "lsp"))))

(provide 'track2-mode)

;;; track2-mode.el ends here
