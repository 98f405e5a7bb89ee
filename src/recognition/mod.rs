//! TI's recognition rules, each in one place, as era tables keyed by program year
//! (DOMAIN.md §5): DCP goals, club levels, club health, Distinguished Area and Division,
//! district tiers, and their application to a district with parity checks against TI.

pub mod assess;
pub mod club;
pub mod dcp;
pub mod district;
pub mod health;
pub mod level;
pub mod units;
