//! Issue 21, items 6 and 7: the export.
