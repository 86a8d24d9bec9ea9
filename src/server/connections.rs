//! Connections: how many are served at once, how long one may sit idle or take to send its
//! request head, and what happens when the process runs out of file descriptors.
//!
//! Every open connection is tracked. One that is idle past `idle_timeout`, or that started a
//! request head and has not finished it within `header_read_timeout`, is closed. When a new
//! client arrives at `max_connections`, or `accept` fails for want of descriptors, the
//! connection idle the longest is closed to make room, so a new client still gets an answer;
//! when every connection is busy, the newcomer gets a `503` and the connection is closed.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

pub use crate::config::ConnectionLimits;

impl ConnectionLimits {
    /// hyper's own buffer for a request head. It must exceed our limits so that hyper hands
    /// over the request and we can refuse it in the legacy form; beyond it hyper answers an
    /// empty `431` itself. (hyper's own URI limit, 65,534 bytes, is fixed.)
    pub(super) fn hyper_head_buffer(&self) -> usize {
        (self.max_uri_bytes + self.max_header_bytes)
            .saturating_mul(2)
            .max(64 * 1024)
    }
}

/// What one connection is doing, shared between its task, its I/O and the acceptor.
struct Tracker {
    in_flight: AtomicUsize,
    /// Milliseconds since the registry's epoch when the last request finished (or the
    /// connection opened).
    last_done: AtomicU64,
    /// Milliseconds since the epoch, plus one, when the first byte of a request head arrived;
    /// 0 while no head is pending.
    head_started: AtomicU64,
    close: Notify,
    /// A head has begun: the connection's deadline is now the header-read one.
    head_begun: Notify,
}

/// Why a connection's task should end now, if it should.
#[derive(Debug, PartialEq)]
enum Expiry {
    Idle,
    SlowHead,
}

/// Every open connection.
pub(super) struct Registry {
    epoch: Instant,
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Tracker>>>,
    limits: ConnectionLimits,
}

impl Registry {
    pub(super) fn new(limits: ConnectionLimits) -> Registry {
        Registry {
            epoch: Instant::now(),
            next_id: AtomicU64::new(0),
            open: Mutex::new(HashMap::new()),
            limits,
        }
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn open(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Tracker>>> {
        // A panic elsewhere while holding the lock leaves the map as it was: still usable.
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn len(&self) -> usize {
        self.open().len()
    }

    fn register(self: &Arc<Self>) -> Connection {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let tracker = Arc::new(Tracker {
            in_flight: AtomicUsize::new(0),
            last_done: AtomicU64::new(self.now_ms()),
            head_started: AtomicU64::new(0),
            close: Notify::new(),
            head_begun: Notify::new(),
        });
        self.open().insert(id, tracker.clone());
        Connection {
            id,
            tracker,
            registry: self.clone(),
        }
    }

    /// Asks the connection idle the longest to close. False when every one is busy.
    pub(super) fn evict_oldest_idle(&self) -> bool {
        let open = self.open();
        let oldest = open
            .values()
            .filter(|t| t.in_flight.load(Ordering::Acquire) == 0)
            .min_by_key(|t| t.last_done.load(Ordering::Relaxed));
        match oldest {
            Some(t) => {
                t.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// One tracked connection; it leaves the registry when dropped.
pub(super) struct Connection {
    id: u64,
    tracker: Arc<Tracker>,
    registry: Arc<Registry>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.registry.open().remove(&self.id);
    }
}

impl Connection {
    /// Marks a request as being answered until the returned guard is dropped.
    pub(super) fn begin_request(&self) -> InFlight {
        self.tracker.head_started.store(0, Ordering::Relaxed);
        self.tracker.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight {
            tracker: self.tracker.clone(),
            registry: self.registry.clone(),
        }
    }

    /// The stream, watched so that the start of a request head is noticed.
    pub(super) fn watch(&self, stream: TcpStream) -> Watched {
        Watched {
            stream,
            tracker: self.tracker.clone(),
            registry: self.registry.clone(),
        }
    }

    fn expiry(&self) -> (Option<Expiry>, Duration) {
        let limits = &self.registry.limits;
        let now = self.registry.now_ms();
        if self.tracker.in_flight.load(Ordering::Acquire) > 0 {
            return (None, limits.idle_timeout);
        }
        let check = |since: u64, limit: Duration, why: Expiry| {
            let waited = Duration::from_millis(now.saturating_sub(since));
            match limit.checked_sub(waited) {
                Some(left) if !left.is_zero() => (None, left),
                _ => (Some(why), Duration::ZERO),
            }
        };
        match self.tracker.head_started.load(Ordering::Relaxed) {
            0 => check(
                self.tracker.last_done.load(Ordering::Relaxed),
                limits.idle_timeout,
                Expiry::Idle,
            ),
            started => check(started - 1, limits.header_read_timeout, Expiry::SlowHead),
        }
    }

    /// Drives `conn` until it ends, the connection has been idle or slow too long, or the
    /// acceptor needs its descriptor. Returning drops `conn`, which closes the socket.
    pub(super) async fn run<F, E>(self: Arc<Self>, conn: F, peer: std::net::SocketAddr)
    where
        F: std::future::Future<Output = Result<(), E>>,
        E: std::fmt::Display,
    {
        tokio::pin!(conn);
        loop {
            let (expired, wait) = self.expiry();
            if let Some(why) = expired {
                tracing::debug!(%peer, ?why, "closing a connection");
                return;
            }
            tokio::select! {
                ended = conn.as_mut() => {
                    if let Err(e) = ended {
                        tracing::debug!(%peer, error = %e, "connection ended with an error");
                    }
                    return;
                }
                _ = self.tracker.close.notified() => {
                    tracing::debug!(%peer, "closing an idle connection to make room");
                    return;
                }
                _ = self.tracker.head_begun.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }
}

/// Held while a request is answered.
pub(super) struct InFlight {
    tracker: Arc<Tracker>,
    registry: Arc<Registry>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.tracker
            .last_done
            .store(self.registry.now_ms(), Ordering::Relaxed);
        self.tracker.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A TCP stream that notes when bytes of a new request head arrive.
pub(super) struct Watched {
    stream: TcpStream,
    tracker: Arc<Tracker>,
    registry: Arc<Registry>,
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        let t = &this.tracker;
        if buf.filled().len() > before
            && t.in_flight.load(Ordering::Acquire) == 0
            && t.head_started.load(Ordering::Relaxed) == 0
        {
            t.head_started
                .store(this.registry.now_ms() + 1, Ordering::Relaxed);
            t.head_begun.notify_one();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// Whether `accept` failed because the process or the system is out of descriptors.
fn out_of_descriptors(e: &io::Error) -> bool {
    // EMFILE and ENFILE on Linux, macOS and the BSDs.
    matches!(e.raw_os_error(), Some(23 | 24))
}

/// Accepts connections forever: an error is logged and retried after a back-off that grows
/// from 5 ms to 1 s, and never ends the server. Each accepted stream that may be served is
/// handed to `serve` with its tracked [`Connection`].
pub(super) async fn accept_forever(
    listener: TcpListener,
    registry: Arc<Registry>,
    refusal: Arc<[u8]>,
    mut serve: impl FnMut(TcpStream, std::net::SocketAddr, Connection),
) {
    const FIRST: Duration = Duration::from_millis(5);
    const MOST: Duration = Duration::from_secs(1);
    let mut backoff = FIRST;
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                backoff = FIRST;
                if registry.len() >= registry.limits.max_connections
                    && !registry.evict_oldest_idle()
                {
                    tokio::spawn(refuse(stream, refusal.clone()));
                    continue;
                }
                serve(stream, peer, registry.register());
            }
            Err(e) => {
                if out_of_descriptors(&e) {
                    registry.evict_oldest_idle();
                }
                tracing::warn!(
                    error = %e,
                    connections = registry.len(),
                    "cannot accept a connection; retrying in {backoff:?}"
                );
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MOST);
            }
        }
    }
}

/// Answers a connection there is no room for with `refusal` (a whole HTTP response) and
/// closes it, giving the client at most a second to take it.
async fn refuse(mut stream: TcpStream, refusal: Arc<[u8]>) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(&refusal).await?;
        stream.shutdown().await
    })
    .await;
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use super::*;

    fn registry(idle_ms: u64, head_ms: u64) -> Arc<Registry> {
        Arc::new(Registry::new(ConnectionLimits {
            idle_timeout: Duration::from_millis(idle_ms),
            header_read_timeout: Duration::from_millis(head_ms),
            ..ConnectionLimits::default()
        }))
    }

    #[test]
    fn a_connection_expires_when_idle_or_slow_but_never_while_answering() {
        let r = registry(0, 10_000);
        let c = r.register();
        assert_eq!(c.expiry().0, Some(Expiry::Idle));
        let busy = c.begin_request();
        assert_eq!(c.expiry().0, None);
        drop(busy);
        let r = registry(10_000, 0);
        let c = r.register();
        assert_eq!(c.expiry().0, None);
        c.tracker.head_started.store(1, Ordering::Relaxed);
        assert_eq!(c.expiry().0, Some(Expiry::SlowHead));
    }

    #[test]
    fn the_longest_idle_connection_is_evicted_and_busy_ones_never() {
        let r = registry(10_000, 10_000);
        let a = r.register();
        let b = r.register();
        a.tracker.last_done.store(5, Ordering::Relaxed);
        b.tracker.last_done.store(1, Ordering::Relaxed);
        let _busy = b.begin_request();
        assert!(r.evict_oldest_idle());
        // `a` holds the permit: its next `notified()` completes at once.
        {
            let mut cx = Context::from_waker(std::task::Waker::noop());
            let notified = std::pin::pin!(a.tracker.close.notified());
            assert!(notified.poll(&mut cx).is_ready());
        }
        drop(_busy);
        let _both = (a.begin_request(), b.begin_request());
        assert!(!r.evict_oldest_idle());
        assert_eq!(r.len(), 2);
        drop(a);
        assert_eq!(r.len(), 1);
    }
}
