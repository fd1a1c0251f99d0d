//! `track2-mode`, loaded in `emacs --batch`: faces, imenu, comments,
//! compile, Eglot, formatting, and the schema's words.

use std::process::Command;

use track2::schema::{self, ValueKind};
use track2::syntax::DeclarationKind;

use super::{block_kinds, block_name, editor, ledger_files};
use crate::support::{root, text};

/// Runs `forms` in `emacs --batch -Q` with `track2-mode` loaded, from the
/// repository root; returns what they printed with `princ`.
fn run_emacs(emacs: &str, forms: &str) -> String {
    let mode = root().join("editors/emacs/track2-mode.el");
    let output = Command::new(emacs)
        .args(["--batch", "-Q", "-l"])
        .arg(&mode)
        .arg("--eval")
        .arg(format!("(progn {forms})"))
        .current_dir(root())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "emacs failed: {}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    text(&output.stdout)
}

/// The mode loads, is chosen for `.track2` files, fontifies every kind of
/// token with its face, lists declarations and engagements in imenu, and
/// knows `#` comments; `compile` reads gnu lines as errors and warnings.
#[test]
fn emacs_mode_loads_and_fontifies() {
    let Some(emacs) = editor("emacs", "--version") else {
        return;
    };
    let sample = root().join("editors/vscode/test/samples/engagements.track2");
    let declarations = root().join("editors/vscode/test/samples/declarations.track2");
    let forms = format!(
        r##"
        (find-file {sample:?})
        (font-lock-ensure)
        (princ (format "mode %s\n" major-mode))
        (princ (format "comment-start %S\n" comment-start))
        (dolist (probe '(("2025-10-21..2025-10-22" . nil) ("AZ -> AM" . nil) ("->" . nil)
                         ("Peace Bridge, first" . nil) ("  id" . 2) ("pb-1" . nil)
                         ("chatham-house" . nil) ("+4" . nil) ("https://" . nil)
                         ("x-budget" . 2) ("include" . nil) ("\"people" . nil) ("online" . nil)
                         ("Sülh" . nil) ("+ AZ -> NL" . nil) ("held" . nil)
                         ("rusif-huseynov, +4" . nil)))
          (goto-char (point-min))
          (search-forward (car probe))
          (goto-char (+ (match-beginning 0) (or (cdr probe) 0)))
          (princ (format "face %s %S\n" (car probe) (get-text-property (point) 'face))))
        (goto-char (point-min))
        (search-forward "# SYNTAX")
        (princ (format "in-comment %S\n" (nth 4 (syntax-ppss))))
        (require 'imenu)
        (dolist (file (list {sample:?} {declarations:?}))
          (find-file file)
          (princ (format "imenu %S\n"
                   (mapcar (lambda (group) (cons (car group) (mapcar #'car (cdr group))))
                           (funcall imenu-create-index-function)))))
        ;; Emacs 29 has Eglot built in; an older one may have none, so the
        ;; entry is checked as Eglot's loading would add it.
        (defvar eglot-server-programs nil)
        (unless (featurep 'eglot) (provide 'eglot))
        (princ (format "eglot %S\n" (assoc 'track2-mode eglot-server-programs)))
        (with-temp-buffer
          (insert "a.track2:16:17: error: undeclared person `x` [undeclared-person]\na.track2:16:17: note: did you mean `y`?\na.track2:3:1: warning: w [held-in-future]\n")
          (compilation-mode)
          (let ((inhibit-read-only t))
            (compilation-parse-errors (point-min) (point-max)))
          (goto-char (point-min))
          (let (found)
            (while (not (eobp))
              (let ((message (get-text-property (point) 'compilation-message)))
                (when message
                  (push (format "%d:%d/%d"
                                (compilation--loc->line (compilation--message->loc message))
                                (compilation--loc->col (compilation--message->loc message))
                                (compilation--message->type message))
                        found)))
              (forward-line 1))
            (princ (format "compile %S\n" (reverse found)))))
        "##,
        sample = sample.to_str().unwrap(),
        declarations = declarations.to_str().unwrap(),
    );
    let printed = run_emacs(emacs, &forms);
    // Snapshots of every module live in tests/it/snapshots/.
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("emacs_fontification", printed);
    });
}

/// The mode's lists of keys and enumerated values are the schema's.
#[test]
fn emacs_mode_knows_the_schemas_keys_and_values() {
    let Some(emacs) = editor("emacs", "--version") else {
        return;
    };
    let printed = run_emacs(
        emacs,
        r#"(dolist (block track2-field-keys)
             (princ (format "%s:%s\n" (car block) (mapconcat #'symbol-name (cdr block) " "))))
           (dolist (enumeration track2-enumerations)
             (princ (format "%s=%s\n" (car enumeration) (mapconcat #'identity (cdr enumeration) " "))))
           (princ (format "directives %s\n" (mapconcat #'identity track2-directives " ")))"#,
    );
    let mut expected = String::new();
    let mut enumerations = String::new();
    for kind in block_kinds() {
        let keys: Vec<_> = schema::fields(kind).iter().map(|spec| spec.key).collect();
        expected.push_str(&format!("{}:{}\n", block_name(kind), keys.join(" ")));
        for spec in schema::fields(kind) {
            if let ValueKind::Choice(words) = spec.value {
                enumerations.push_str(&format!("{}={}\n", spec.key, words.join(" ")));
            }
        }
    }
    expected.push_str(&enumerations);
    let directives: Vec<_> = DeclarationKind::ALL.map(DeclarationKind::keyword).to_vec();
    expected.push_str(&format!("directives {} include\n", directives.join(" ")));
    assert_eq!(printed, expected);
}

/// `M-x track2-format-buffer` gives what `track2 fmt -` gives, and leaves a
/// buffer with a syntax error as it is.
#[test]
fn emacs_formats_through_track2_fmt() {
    let Some(emacs) = editor("emacs", "--version") else {
        return;
    };
    let messy = "party AM   Armenia\nformat f F\n2025 AM+AZ->NL  Title\n\tformat:f\n";
    let mut fmt = crate::support::track2(&["fmt", "-"]);
    let canonical = {
        use std::io::Write as _;
        let mut child = fmt
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(messy.as_bytes()).unwrap();
        text(&child.wait_with_output().unwrap().stdout)
    };
    assert_ne!(canonical, messy);
    let broken = "party AM\n  wikidata Q1\n";
    let forms = format!(
        r#"(setq track2-program {program:?})
           (dolist (text (list {messy:?} {broken:?}))
             (with-temp-buffer
               (insert text)
               (track2-mode)
               (track2-format-buffer)
               (princ (buffer-string))
               (princ "--\n")))"#,
        program = env!("CARGO_BIN_EXE_track2"),
    );
    assert_eq!(run_emacs(emacs, &forms), format!("{canonical}--\n{broken}--\n"));
}

/// Emacs marks nothing as a mistake in any valid ledger.
#[test]
fn emacs_marks_nothing_in_valid_ledgers() {
    let Some(emacs) = editor("emacs", "--version") else {
        return;
    };
    let mut files = Vec::new();
    ledger_files(&root().join("grammar/tests/valid"), &mut files);
    ledger_files(&root().join("ledgers"), &mut files);
    let list: Vec<_> = files
        .iter()
        .map(|file| format!("{:?}", file.to_str().unwrap()))
        .collect();
    let forms = format!(
        r#"(dolist (file (list {}))
             (with-current-buffer (find-file-noselect file)
               (font-lock-ensure)
               (goto-char (point-min))
               (let ((match (text-property-search-forward 'face 'font-lock-warning-face t)))
                 (when match
                   (princ (format "%s:%d %s\n" file (line-number-at-pos (prop-match-beginning match))
                                  (buffer-substring (prop-match-beginning match) (prop-match-end match))))))
               (princ (format "read %s\n" major-mode))))"#,
        list.join(" ")
    );
    let printed = run_emacs(emacs, &forms);
    let marked: Vec<_> = printed.lines().filter(|line| !line.starts_with("read ")).collect();
    assert!(marked.is_empty(), "{marked:#?}");
    assert_eq!(
        printed.lines().filter(|line| *line == "read track2-mode").count(),
        files.len()
    );
}
