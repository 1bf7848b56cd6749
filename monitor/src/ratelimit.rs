//! Per-client rate limits (governor's keyed GCRA limiter) and how a request's client address is found.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;

use axum::http::{HeaderMap, HeaderName};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// A limit of so many requests a minute per client address, with bursts of the same size.
pub struct Limiter {
    inner: Option<DefaultKeyedRateLimiter<IpAddr>>,
    clock: DefaultClock,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limiter").field("on", &self.inner.is_some()).finish()
    }
}

impl Limiter {
    /// `n` requests a minute per client; 0 switches the limit off.
    pub fn per_minute(n: u32) -> Limiter {
        Limiter {
            inner: NonZeroU32::new(n).map(|n| RateLimiter::keyed(Quota::per_minute(n))),
            clock: DefaultClock::default(),
        }
    }

    /// `Ok` when `ip` may go ahead now; otherwise how many seconds to wait.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        match &self.inner {
            None => Ok(()),
            Some(l) => l.check_key(&ip).map_err(|nu| nu.wait_time_from(self.clock.now()).as_secs() + 1),
        }
    }

    /// Forgets clients whose limits have fully recovered (called periodically to bound memory).
    pub fn sweep(&self) {
        if let Some(l) = &self.inner {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }
}

/// The client's address: the last entry of `header` when the service is configured to trust one set by
/// its load balancer, else the TCP peer.
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, header: Option<&HeaderName>) -> IpAddr {
    if let Some(h) = header {
        // The load balancer appends the address it saw; earlier entries are whatever the client claimed.
        let last = headers.get_all(h).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).next_back();
        if let Some(ip) = last.and_then(|s| s.trim().parse().ok()) {
            return ip;
        }
    }
    peer.ip()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_client() {
        let l = Limiter::per_minute(2);
        let a = IpAddr::from([127, 0, 0, 1]);
        let b = IpAddr::from([127, 0, 0, 2]);
        assert!(l.check(a).is_ok());
        assert!(l.check(a).is_ok());
        let wait = l.check(a).unwrap_err();
        assert!((1..=31).contains(&wait), "wait {wait}");
        assert!(l.check(b).is_ok());
        let off = Limiter::per_minute(0);
        for _ in 0..100 {
            assert!(off.check(a).is_ok());
        }
    }

    #[test]
    fn forwarded_header_last_entry() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "1.2.3.4, 10.0.0.9".parse().unwrap());
        let name = HeaderName::from_static("x-forwarded-for");
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        assert_eq!(client_ip(peer, &h, Some(&name)), IpAddr::from([10, 0, 0, 9]));
        assert_eq!(client_ip(peer, &h, None), IpAddr::from([127, 0, 0, 1]));
    }
}
