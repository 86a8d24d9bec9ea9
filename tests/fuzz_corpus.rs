//! The fuzz targets of `fuzz/` as regression tests on stable: every committed seed (and every
//! crash input kept under `fuzz/regressions/<target>/`) goes through the same function the
//! fuzzer calls, which panics when an invariant breaks.

use std::path::{Path, PathBuf};

use rand::rngs::StdRng;
use rand::SeedableRng;
use turkstand::fuzzing::{mutate, TARGETS};

/// Mutations of each seed tried on every run: a short, repeatable fuzz run on stable.
const MUTATIONS_PER_SEED: usize = 8;

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file());
    files.sort();
    files
}

#[test]
fn every_seed_passes_its_fuzz_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, target) in TARGETS {
        let mut dirs = vec![
            root.join("fuzz/corpus").join(name),
            root.join("fuzz/regressions").join(name),
        ];
        if name == "document" {
            // The validator's own corpus: real documents, valid and invalid.
            dirs.push(root.join("tests/validate/corpus"));
        }
        let files: Vec<PathBuf> = dirs.iter().flat_map(|d| inputs(d)).collect();
        assert!(files.len() >= 10, "{name}: only {} seeds", files.len());
        let mut rng = StdRng::seed_from_u64(12);
        for file in &files {
            let data = std::fs::read(file).expect("read seed");
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(
                outcome.is_ok(),
                "{name}: {} broke an invariant",
                file.display()
            );
            for _ in 0..MUTATIONS_PER_SEED {
                let spoiled = mutate(&mut rng, &data);
                let outcome = std::panic::catch_unwind(|| target(&spoiled));
                assert!(
                    outcome.is_ok(),
                    "{name}: a mutation of {} broke an invariant: {:?}",
                    file.display(),
                    String::from_utf8_lossy(&spoiled)
                );
            }
        }
        println!("{name}: {} seeds", files.len());
    }
}
