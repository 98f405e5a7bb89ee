//! The one integration-test binary: drives the real `toaststats` CLI on fixture caches.

mod across_dates;
mod archive;
mod around;
mod bad_input;
mod build;
mod calendar;
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
mod reconciliation;
mod sample;
mod schemas;
mod serve;
mod snapshots;
mod store;
mod support;
mod ti_model;
