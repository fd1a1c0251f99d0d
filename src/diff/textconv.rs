//! The textconv form of a ledger file, for `git diff`.

/// A file as `git diff` should compare it (a git textconv driver): one line
/// per block, its header and then its fields in canonical order (`key:
/// value` joined by ` | `), each comment on a line of its own. A change to
/// an engagement then shows as that engagement's line, whatever the layout.
/// The file is shown as written, private records included: like `fmt
/// --diff`, this is for the person editing the ledger.
pub fn textconv(text: &str) -> Result<String, Vec<crate::Diagnostic>> {
    let canonical = crate::format::format_text(text)?;
    let mut out = String::with_capacity(canonical.len());
    let mut block = String::new();
    let flush = |block: &mut String, out: &mut String| {
        if !block.is_empty() {
            out.push_str(block);
            out.push('\n');
            block.clear();
        }
    };
    for line in canonical.trim_start_matches('\u{feff}').lines() {
        let line = line.trim_end_matches('\r');
        if let Some(field) = line.strip_prefix("  ") {
            if field.starts_with('#') {
                flush(&mut block, &mut out);
                out.push_str(field);
                out.push('\n');
            } else {
                block.push_str(" | ");
                block.push_str(field);
            }
        } else if line.is_empty() {
            flush(&mut block, &mut out);
        } else if line.starts_with('#') || line.starts_with("include ") {
            flush(&mut block, &mut out);
            out.push_str(line);
            out.push('\n');
        } else {
            flush(&mut block, &mut out);
            block.push_str(line);
        }
    }
    flush(&mut block, &mut out);
    Ok(out)
}
