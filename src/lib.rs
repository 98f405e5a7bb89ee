//! toaststats: Toastmasters dashboard CSV exports in, an immutable versioned static site
//! and JSON API out, published by one atomic symlink swap.

pub mod cache;
pub mod fsx;
pub mod sample;
