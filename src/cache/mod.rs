//! The raw cache: folder layout, CSV reading, header eras, footers and closing periods.

pub mod cells;
pub mod dating;
pub mod eras;
pub mod facts;
pub mod footer;
pub mod layout;
pub mod limits;
pub mod load;
pub mod metadata;
pub mod quoting;
pub mod records;
pub mod table;
pub mod text;

#[cfg(test)]
mod no_panic;
