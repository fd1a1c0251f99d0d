//! The canonical formatter behind `track2 fmt` (issue 4; not written yet).
