//! The raw cache: folder layout, CSV reading, header eras, footers and closing periods.

pub mod eras;
