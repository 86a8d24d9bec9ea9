//! Identifiers in the legacy shape: 30 upper-case letters and digits.

use rand::Rng;
use sha1::{Digest, Sha1};

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
pub const ID_LEN: usize = 30;

/// A fresh random identifier.
pub fn random() -> String {
    let mut rng = rand::thread_rng();
    (0..ID_LEN)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// An identifier derived from `parts`: equal parts always give the same id.
pub fn derived(parts: &[&str]) -> String {
    let mut out = String::with_capacity(ID_LEN);
    let mut counter = 0u32;
    while out.len() < ID_LEN {
        let mut h = Sha1::new();
        h.update(counter.to_be_bytes());
        for p in parts {
            // Length-prefixed so that ("ab","c") and ("a","bc") differ.
            h.update((p.len() as u64).to_be_bytes());
            h.update(p.as_bytes());
        }
        for b in h.finalize() {
            if out.len() == ID_LEN {
                break;
            }
            out.push(ALPHABET[b as usize % ALPHABET.len()] as char);
        }
        counter += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_legacy_shape() {
        let id = random();
        assert_eq!(id.len(), ID_LEN);
        assert!(id.bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(random(), id);
    }

    #[test]
    fn derived_ids_are_stable_and_separate_their_parts() {
        assert_eq!(derived(&["a", "b"]), derived(&["a", "b"]));
        assert_ne!(derived(&["ab", "c"]), derived(&["a", "bc"]));
        assert_eq!(derived(&["x"]).len(), ID_LEN);
    }
}
