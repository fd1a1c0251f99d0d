//! Folding: one range per block that spans more than its header line, so
//! that a file of engagements folds to one line each.

use lsp_server::ResponseError;
use lsp_types::{FoldingRange, FoldingRangeKind, FoldingRangeParams};

use super::session::Session;
use crate::parser;
use crate::source::FileId;

pub fn folding_ranges(
    session: &Session,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>, ResponseError> {
    let Some(context) = session.context(&params.text_document.uri) else {
        return Ok(None);
    };
    let file = context.document.file();
    let text = file.text();
    let (document, _) = parser::parse(FileId(0), text);
    let ranges = document
        .blocks()
        .filter_map(|block| {
            let extent = block.extent(text);
            let start = file.line_index(extent.start as usize) as u32;
            let end = file.line_index(extent.end as usize) as u32;
            (end > start).then_some(FoldingRange {
                start_line: start,
                start_character: None,
                end_line: end,
                end_character: None,
                kind: Some(FoldingRangeKind::Region),
                collapsed_text: None,
            })
        })
        .collect();
    Ok(Some(ranges))
}
