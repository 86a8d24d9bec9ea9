//! Identifiers in the legacy shape: 30 upper-case letters and digits.

use std::time::{SystemTime, UNIX_EPOCH};

use rand::Rng;
use sha1::{Digest, Sha1};

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
pub const ID_LEN: usize = 30;

/// The same characters in byte order, for the time at the head of an ordered id.
const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/// Ten base-36 digits hold microseconds until 2086, after which the time wraps round: it only
/// places ids in an index, and is never read back as a time.
const TIME_CHARS: usize = 10;

/// A fresh random identifier.
pub fn random() -> String {
    let mut rng = rand::thread_rng();
    (0..ID_LEN)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A fresh identifier that sorts after those made before it: the wall clock's microseconds,
/// then random characters. Inserted into the index on a table's ids, each lands beside the
/// last one instead of on a page of its own, and the pages a commit writes (and a checkpoint
/// copies) are shared. The wall clock, not the service's, since a manual clock stands still.
pub fn ordered() -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    ordered_at(micros as u64)
}

fn ordered_at(micros: u64) -> String {
    let mut head = [0u8; TIME_CHARS];
    let mut t = micros;
    for slot in head.iter_mut().rev() {
        *slot = DIGITS[(t % 36) as usize];
        t /= 36;
    }
    let mut rng = rand::thread_rng();
    let tail = (TIME_CHARS..ID_LEN).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())]);
    head.into_iter().chain(tail).map(char::from).collect()
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
        for fresh in [random as fn() -> String, ordered] {
            let id = fresh();
            assert_eq!(id.len(), ID_LEN);
            assert!(id.bytes().all(|b| ALPHABET.contains(&b)));
            assert_ne!(fresh(), id);
        }
    }

    #[test]
    fn ordered_ids_sort_by_time() {
        let times = [
            0,
            1,
            35,
            36,
            1_000_000,
            1_796_400_000_123_456,
            36u64.pow(10) - 1,
        ];
        let ids: Vec<String> = times.iter().map(|&t| ordered_at(t)).collect();
        for pair in ids.windows(2) {
            assert!(pair[0] < pair[1], "{} then {}", pair[0], pair[1]);
        }
        assert!(ids[0].starts_with("0000000000"));
        assert!(ids.last().unwrap().starts_with("ZZZZZZZZZZ"));
    }

    #[test]
    fn derived_ids_are_stable_and_separate_their_parts() {
        assert_eq!(derived(&["a", "b"]), derived(&["a", "b"]));
        assert_ne!(derived(&["ab", "c"]), derived(&["a", "bc"]));
        assert_eq!(derived(&["x"]).len(), ID_LEN);
    }
}
