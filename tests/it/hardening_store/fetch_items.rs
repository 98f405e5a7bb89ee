//! Issue 21, items 8 and 9: fetch's files and usage errors.
