//! The server under load: the real `turkstand serve` process on a copy of a prepared database,
//! so that its start-up and memory are its own.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use turkstand::store::{Store, SCHEMA_VERSION};

use crate::cpu::Threads;
use crate::drive::Target;
use crate::{loader, KEY, SECRET};

pub(crate) struct Server {
    child: Child,
    pub(crate) target: Target,
    pub(crate) startup: Duration,
    dir: PathBuf,
}

/// Where prepared databases are kept between runs: building a million HITs takes a while.
fn cache_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-db")
}

/// The loader's page cache in MiB: BENCH_LOAD_CACHE_MIB, or SQLite's default.
fn load_cache_mib() -> Option<u32> {
    std::env::var("BENCH_LOAD_CACHE_MIB").ok()?.parse().ok()
}

/// A database of `n` HITs (made by the loader once per schema version): its path, and how long
/// the loader took if it ran now.
pub(crate) fn prepared(n: usize) -> (PathBuf, Option<Duration>) {
    let dir = cache_dir();
    std::fs::create_dir_all(&dir).expect("bench-db dir");
    // BENCH_SCHEMA names an earlier schema's databases, made by an earlier build's loader, for
    // an earlier build's server (TURKSTAND_BIN).
    let version = std::env::var("BENCH_SCHEMA").unwrap_or_else(|_| SCHEMA_VERSION.to_string());
    let path = dir.join(format!("hits-{n}-v{version}.db"));
    if path.exists() {
        return (path, None);
    }
    let building = dir.join(format!("hits-{n}-v{version}.building.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", building.display()));
    }
    let began = Instant::now();
    {
        let store =
            Store::open_with_cache(building.to_str().expect("utf-8 path"), load_cache_mib())
                .expect("store");
        loader::load(&store, n).expect("load");
    }
    // Closed, the store checkpointed its log into the file: the file is the whole database.
    std::fs::rename(&building, &path).expect("keep database");
    (path, Some(began.elapsed()))
}

/// The size in bytes of the database at `path`, its log included.
pub(crate) fn size(path: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len())
        .sum()
}

impl Server {
    /// Starts `turkstand serve` on a scratch copy of `db`; `startup` is the time from spawning
    /// the process to its listening line.
    pub(crate) fn start(db: &Path, name: &str) -> Server {
        let dir =
            std::env::temp_dir().join(format!("turkstand-load-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let data = dir.join("turkstand.db");
        std::fs::copy(db, &data).expect("copy database");
        let began = Instant::now();
        // TURKSTAND_BIN runs another build's server against this benchmark (an earlier one,
        // to compare).
        let bin = std::env::var_os("TURKSTAND_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_turkstand")));
        let mut child = Command::new(bin)
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(&data)
            .env("TURKSTAND_ACCESS_KEY_ID", KEY)
            .env("TURKSTAND_SECRET_ACCESS_KEY", SECRET)
            .env("TURKSTAND_BALANCE", "100000000.00")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start turkstand serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("turkstand serve exited before listening")
                .expect("read stdout");
            if let Some(url) = line.strip_prefix("turkstand listening on http://") {
                break url.to_string();
            }
        };
        let startup = began.elapsed();
        // Keep reading, so that the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let threads = Threads::Process(child.id());
        Server {
            child,
            target: Target { addr, threads },
            startup,
            dir,
        }
    }

    /// The server's resident memory now and at its peak, in MB (from /proc).
    pub(crate) fn memory_mb(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
                .map_or(f64::NAN, |kb| kb / 1024.0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
