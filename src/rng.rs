//! Randomness for keys and nonces (RFC 3830 §4.2.2: "a cryptographically secure random or
//! pseudo-random generator MUST be used"). The default is the operating system's generator
//! (ring's `SystemRandom`); another source can be injected, which only tests should do.

use std::fmt::Debug;

/// The random source failed (the OS generator reported an error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RngError;

impl std::fmt::Display for RngError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the random number generator failed")
    }
}

impl std::error::Error for RngError {}

/// A source of random bytes, shared by every session of a config and called from any
/// thread.
pub trait Rng: Send + Sync + Debug {
    /// Fills `out` with random bytes.
    fn fill(&self, out: &mut [u8]) -> Result<(), RngError>;
}

/// The operating system's generator (`getrandom`), through ring.
#[derive(Debug)]
pub struct SystemRng(ring::rand::SystemRandom);

impl Default for SystemRng {
    fn default() -> Self {
        SystemRng::new()
    }
}

impl SystemRng {
    /// The OS generator.
    pub fn new() -> SystemRng {
        SystemRng(ring::rand::SystemRandom::new())
    }
}

impl Rng for SystemRng {
    fn fill(&self, out: &mut [u8]) -> Result<(), RngError> {
        ring::rand::SecureRandom::fill(&self.0, out).map_err(|_| RngError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_rng_fills_different_bytes() {
        let rng = SystemRng::new();
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        rng.fill(&mut a).unwrap();
        rng.fill(&mut b).unwrap();
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 32]);
    }
}
