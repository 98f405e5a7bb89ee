//! The sample's random numbers: a hand-written SplitMix64, fixed forever so the committed
//! sample never changes with a crate upgrade, plus the few draws the generator needs.

/// SplitMix64: tiny, fast and fixed forever.
pub(super) struct Rng(u64);

/// The SplitMix64 finalizer; also hashes a club's wobble seed with the day.
pub(super) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// An independent stream `stream` of the seed.
    pub(super) fn new(seed: u64, stream: u64) -> Rng {
        Rng(mix(seed ^ mix(stream.wrapping_add(0x9E37_79B9_7F4A_7C15))))
    }
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Uniform in `lo..=hi`.
    pub(super) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// One item of a `|`-separated list.
    pub(super) fn pick<'a>(&mut self, list: &'a str) -> &'a str {
        let n = list.split('|').count() as u64;
        list.split('|').nth(self.below(n) as usize).unwrap_or(list)
    }
}
