//! TI's recognition rules: the Distinguished Club Program goals (and, as they land, club
//! levels, club health and area/division/district recognition), each rule in one place.

pub mod dcp;
