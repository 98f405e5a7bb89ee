//! toaststats: Toastmasters dashboard CSV exports in, an immutable versioned static site
//! and JSON API out, published by one atomic symlink swap.

// Input errors (`Diag`) carry file, line, column and message; they are the cold path, and
// boxing them everywhere would cost clarity for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod cache;
pub mod cli;
pub mod commands;
pub mod compute;
pub mod config;
pub mod diag;
pub mod export;
pub mod fetch;
pub mod freshness;
pub mod fsx;
pub mod hash;
pub mod history;
pub mod hosting;
pub mod model;
pub mod rank;
pub mod recognition;
pub mod regions;
pub mod render;
pub mod sample;
pub mod seal;
pub mod serve;
pub mod stats;
pub mod store;
pub mod validate;

/// Version of the rules (eras, thresholds, ranking): changes whenever a rule changes.
pub const RULES_VERSION: &str = "2026.12.1";
