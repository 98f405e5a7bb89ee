//! The one integration-test binary: drives the real `toaststats` CLI on fixture caches.

mod across_dates;
mod around;
mod bad_input;
mod build;
mod cli;
mod downloads;
mod eras;
mod export;
mod fetch;
mod figures;
mod hardening_serve;
mod hardening_store;
mod history;
mod html;
mod nightly;
mod realdata;
mod sample;
mod schemas;
mod serve;
mod snapshots;
mod status_json;
mod store;
mod support;
mod ti_model;
