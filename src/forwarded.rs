//! Which address a request came from when proxies sit in front: the right-most address in
//! the `X-Forwarded-For` chain that is not one of our own proxies.
//!
//! Each proxy appends the address it received the request from, so the chain reads
//! `client-written entries..., what our first proxy saw, ..., what our last proxy saw`,
//! followed by the socket peer (our last proxy itself). Everything left of the address our
//! outermost proxy wrote is whatever the client chose to send, so only walking in from the
//! right, past our own proxies, gives an address the client cannot pick.

use std::net::IpAddr;

/// An address range such as `10.0.0.0/8`, `fd00::/8` or a single address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddrRange {
    base: IpAddr,
    prefix: u8,
}

impl AddrRange {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let (addr, prefix) = match raw.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (raw, None),
        };
        let base: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{raw}` is not an IP address or CIDR range"))?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{raw}`: the prefix length must be 0 to {max}"))?,
            None => max,
        };
        Ok(AddrRange {
            base: base.to_canonical(),
            prefix,
        })
    }

    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.base, addr.to_canonical()) {
            (IpAddr::V4(base), IpAddr::V4(addr)) => {
                same_prefix(&base.octets(), &addr.octets(), self.prefix)
            }
            (IpAddr::V6(base), IpAddr::V6(addr)) => {
                same_prefix(&base.octets(), &addr.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

fn same_prefix(a: &[u8], b: &[u8], bits: u8) -> bool {
    let whole = usize::from(bits / 8);
    let rest = bits % 8;
    if a[..whole] != b[..whole] {
        return false;
    }
    rest == 0 || {
        let mask = 0xff_u8 << (8 - rest);
        a[whole] & mask == b[whole] & mask
    }
}

/// Reads the comma-separated `auth.trusted_proxies` setting.
pub fn parse_ranges(raw: &str) -> Result<Vec<AddrRange>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(AddrRange::parse)
        .collect()
}

/// The client address for a request from `peer` carrying `forwarded_for`.
///
/// Without `trust_forwarded_for` the peer is the client. With it, the peer is our proxy and
/// the chain is walked from the right, skipping addresses in `trusted`; the first other
/// address is the client. An entry that is not an IP address cannot have been written by a
/// proxy, so the walk stops there and the client is the last address seen (a proxy's):
/// such requests share that proxy's budget rather than choosing their own. When every
/// entry is a trusted proxy, the left-most one is the client.
pub fn client_address(
    peer: IpAddr,
    forwarded_for: Option<&str>,
    trust_forwarded_for: bool,
    trusted: &[AddrRange],
) -> IpAddr {
    let peer = peer.to_canonical();
    if !trust_forwarded_for {
        return peer;
    }
    let Some(header) = forwarded_for else {
        return peer;
    };
    let mut client = peer;
    for entry in header.rsplit(',').map(str::trim) {
        let Ok(addr) = entry.parse::<IpAddr>() else {
            break;
        };
        client = addr.to_canonical();
        if !trusted.iter().any(|range| range.contains(client)) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_match_by_prefix() {
        let lan = AddrRange::parse("10.0.0.0/8").unwrap();
        assert!(lan.contains(ip("10.200.3.4")));
        assert!(!lan.contains(ip("11.0.0.1")));
        let one = AddrRange::parse("192.168.1.5").unwrap();
        assert!(one.contains(ip("192.168.1.5")));
        assert!(!one.contains(ip("192.168.1.6")));
        let odd = AddrRange::parse("172.16.0.0/12").unwrap();
        assert!(odd.contains(ip("172.31.255.255")));
        assert!(!odd.contains(ip("172.32.0.0")));
        let v6 = AddrRange::parse("fd00::/8").unwrap();
        assert!(v6.contains(ip("fd12::1")));
        assert!(!v6.contains(ip("fe80::1")));
        assert!(
            AddrRange::parse("0.0.0.0/0")
                .unwrap()
                .contains(ip("8.8.8.8"))
        );
        // An IPv4 address seen through an IPv6 socket is the same address.
        assert!(lan.contains(ip("::ffff:10.1.2.3")));
        for bad in ["", "10.0.0.0/33", "proxy.local", "10.0.0/8", "::/129"] {
            assert!(AddrRange::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_ranges(" 10.0.0.0/8, ,::1 ").unwrap().len(), 2);
    }

    #[test]
    fn without_trust_the_peer_is_the_client() {
        let client = client_address(ip("203.0.113.9"), Some("1.2.3.4"), false, &[]);
        assert_eq!(client, ip("203.0.113.9"));
    }

    #[test]
    fn the_entry_our_proxy_wrote_wins_over_what_the_client_wrote() {
        let proxy = ip("10.0.0.2");
        // The client sent "X-Forwarded-For: 1.2.3.4"; our proxy appended its real address.
        let client = client_address(proxy, Some("1.2.3.4, 198.51.100.7"), true, &[]);
        assert_eq!(client, ip("198.51.100.7"));
        assert_eq!(client_address(proxy, None, true, &[]), proxy);
    }

    #[test]
    fn trusted_proxies_in_the_chain_are_skipped() {
        let trusted = parse_ranges("10.0.0.0/8").unwrap();
        // client -> CDN edge 10.1.1.1 -> load balancer 10.0.0.2 (the peer)
        let client = client_address(
            ip("10.0.0.2"),
            Some("6.6.6.6, 198.51.100.7, 10.1.1.1"),
            true,
            &trusted,
        );
        assert_eq!(client, ip("198.51.100.7"));
        // Only proxies: the left-most is as far as we can see.
        let client = client_address(ip("10.0.0.2"), Some("10.9.9.9, 10.1.1.1"), true, &trusted);
        assert_eq!(client, ip("10.9.9.9"));
    }

    #[test]
    fn garbage_in_the_chain_does_not_become_a_client_address() {
        let trusted = parse_ranges("10.0.0.0/8").unwrap();
        let client = client_address(
            ip("10.0.0.2"),
            Some("198.51.100.7, not-an-ip, 10.1.1.1"),
            true,
            &trusted,
        );
        assert_eq!(client, ip("10.1.1.1"));
        let client = client_address(ip("10.0.0.2"), Some("unknown"), true, &trusted);
        assert_eq!(client, ip("10.0.0.2"));
    }
}
