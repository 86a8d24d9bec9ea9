//! CPU time per request, the server's and the load generator's apart. On a shared two-core
//! machine requests per second swing with whatever else runs, while the CPU a request costs
//! holds still; and the two together show where a ratio to hello-world comes from, since the
//! load generator takes its share of the same cores.

use std::sync::{Arc, LazyLock, Mutex};

/// Threads whose CPU time can be read: every thread of a process, or those that registered.
#[derive(Clone)]
pub(crate) enum Threads {
    Process(u32),
    Registered(Arc<Mutex<Vec<String>>>),
}

/// The load generator's runtime threads (registered as they start).
pub(crate) static LOAD: LazyLock<Threads> = LazyLock::new(Threads::registry);

impl Threads {
    pub(crate) fn registry() -> Threads {
        Threads::Registered(Arc::default())
    }

    /// Counts the calling thread in (as a runtime's `on_thread_start`).
    pub(crate) fn register(&self) {
        if let (Threads::Registered(list), Ok(me)) = (self, std::fs::read_link("/proc/thread-self"))
        {
            // `/proc/thread-self` names `<pid>/task/<tid>`.
            let path = format!("/proc/{}/schedstat", me.display());
            list.lock().expect("thread list").push(path);
        }
    }

    /// Nanoseconds of CPU the threads have run so far, from each one's `schedstat` (whose first
    /// field is exactly that); a thread that has ended no longer counts.
    pub(crate) fn cpu_ns(&self) -> u64 {
        let files: Vec<String> = match self {
            Threads::Process(pid) => std::fs::read_dir(format!("/proc/{pid}/task"))
                .map(|tasks| {
                    tasks
                        .flatten()
                        .map(|t| format!("{}/schedstat", t.path().display()))
                        .collect()
                })
                .unwrap_or_default(),
            Threads::Registered(list) => list.lock().expect("thread list").clone(),
        };
        files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            .sum()
    }
}

/// CPU read before a run, to take the run's share from.
pub(crate) struct Mark {
    server: u64,
    load: u64,
}

impl Mark {
    pub(crate) fn now(server: &Threads) -> Mark {
        Mark {
            server: server.cpu_ns(),
            load: LOAD.cpu_ns(),
        }
    }

    /// Microseconds of CPU per step (a request, or a pair timed as one) since the mark, the
    /// server's and the load generator's; not a number if no step was made.
    pub(crate) fn per_step(&self, server: &Threads, steps: usize) -> (f64, f64) {
        if steps == 0 {
            return (f64::NAN, f64::NAN);
        }
        let n = steps as f64 * 1000.0;
        (
            server.cpu_ns().saturating_sub(self.server) as f64 / n,
            LOAD.cpu_ns().saturating_sub(self.load) as f64 / n,
        )
    }
}
