//! Synthetic cache generator (being written).
