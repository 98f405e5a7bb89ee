//! The one integration-test binary: drives the real `toaststats` CLI on fixture caches.

mod bad_input;
mod build;
mod fake_ti;
mod fetch;
mod html;
mod realdata;
mod serve;
mod snapshots;
mod store;
mod support;
