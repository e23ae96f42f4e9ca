//! A Typesense cluster as a second home for the analysed collection, for when one machine is
//! not enough: [`push`] sends the passages there (what only durand does — cleaning, passages,
//! tags, dates, events — travels with them as fields), [`query`] translates durand's query
//! language into Typesense's parameters and [`search`] reads the answers back into the same
//! [`crate::SearchResults`] local search returns.
//!
//! The client talks only HTTP (ureq) to any of the cluster's nodes: a request that cannot
//! reach a node, or that a node answers with 5xx (no leader, not ready, lagging behind), is
//! sent to the next node and, after a round of every node, retried after a growing pause —
//! for about two seconds when no node answers at all, twenty while nodes answer 5xx. Every
//! request durand sends is idempotent (imports are upserts, deletes go by filter), so a
//! retry never doubles anything.

pub mod export;
pub mod push;
pub mod query;
pub mod record;
pub mod schema;
pub mod search;

use std::cell::Cell;
use std::time::Duration;

/// The collection `push` and `--remote` use when not told otherwise.
pub const DEFAULT_COLLECTION: &str = "durand";
/// How long a request is retried when no node answers at all.
const DOWN_BUDGET: Duration = Duration::from_secs(2);
/// How long it is retried while nodes answer 5xx (electing a leader, catching up).
const BUSY_BUDGET: Duration = Duration::from_secs(20);
/// The pause after the first round that reached no node; doubled after each.
const FIRST_PAUSE: Duration = Duration::from_millis(250);
/// How long one request may take (an import of a batch included).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// How long a node may take to begin answering a request other than an import, a delete or
/// an export (a search, a collection's schema; the facet search a push reconciles with took
/// 10 s over 500,000 documents on one node): one that takes the connection and says nothing
/// in this time (a frozen process) is passed over for the next.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// The header Typesense reads the key from.
const KEY_HEADER: &str = "X-TYPESENSE-API-KEY";

/// What went wrong talking to the cluster. Every message is one line a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("bad remote address {url:?}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("bad collection name {name:?}: {reason}")]
    BadCollection { name: String, reason: String },
    #[error("no API key for {url}: give --api-key or set DURAND_REMOTE_KEY")]
    NoKey { url: String },
    #[error("another `durand push` is sending this index; wait for it to finish (it holds {path})")]
    Busy { path: String },
    #[error("cannot reach the cluster at {urls}: {detail}")]
    Unreachable { urls: String, detail: String },
    #[error("the cluster at {urls} answered but could not serve the request: {detail}")]
    Failing { urls: String, detail: String },
    #[error("the cluster at {urls} took the connection but did not answer in time: {detail}")]
    Silent { urls: String, detail: String },
    #[error(
        "the cluster at {url} refused the API key (HTTP {status}); check --api-key or DURAND_REMOTE_KEY"
    )]
    Unauthorized { url: String, status: u16 },
    #[error("no collection {collection:?} at {url} — run `durand push {url}{}` first", collection_flag(.collection))]
    NoCollection { url: String, collection: String },
    #[error(
        "the collection {collection:?} at {url} was not made by durand push ({detail}); push to another --collection or delete it"
    )]
    OtherSchema {
        url: String,
        collection: String,
        detail: String,
    },
    #[error("the cluster at {url} answered {what} with HTTP {status}{}", if .message.trim().is_empty() { String::new() } else { format!(": {}", .message.trim()) })]
    Http {
        url: String,
        what: String,
        status: u16,
        message: String,
    },
    #[error("the cluster at {url} sent an answer durand cannot read ({what}: {detail})")]
    Protocol {
        url: String,
        what: String,
        detail: String,
    },
    #[error("{path}: {detail}")]
    State { path: String, detail: String },
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
    #[error("{what} has no equivalent on a remote collection{hint}")]
    Unsupported { what: String, hint: String },
}

impl RemoteError {
    pub(crate) fn unsupported(what: impl Into<String>, hint: impl AsRef<str>) -> Self {
        let hint = hint.as_ref();
        RemoteError::Unsupported {
            what: what.into(),
            hint: if hint.is_empty() {
                String::new()
            } else {
                format!("; {hint}")
            },
        }
    }
}

/// An HTTP method the client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

/// A connection to one collection of a cluster, through any of its nodes.
pub struct Remote {
    nodes: Vec<String>,
    key: String,
    pub collection: String,
    agent: ureq::Agent,
    /// The same, for requests that must begin to answer within [`ANSWER_TIMEOUT`] (shorter
    /// in tests).
    quick: ureq::Agent,
    /// The node that answered last: tried first next time.
    preferred: Cell<usize>,
}

/// The answer to one request: status and body.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Remote {
    /// A client for `urls` (one node, or several separated by commas) and `collection`.
    pub fn new(urls: &str, key: &str, collection: &str) -> Result<Remote, RemoteError> {
        let mut nodes = Vec::new();
        for url in urls.split(',').map(str::trim).filter(|u| !u.is_empty()) {
            nodes.push(check_url(url)?);
        }
        if nodes.is_empty() {
            return Err(RemoteError::BadUrl {
                url: urls.to_string(),
                reason: "give http://HOST:PORT".into(),
            });
        }
        if key.is_empty() {
            return Err(RemoteError::NoKey {
                url: nodes.join(","),
            });
        }
        schema::check_collection_name(collection)?;

        Ok(Remote {
            nodes,
            key: key.to_string(),
            collection: collection.to_string(),
            agent: agent(None),
            quick: agent(Some(ANSWER_TIMEOUT)),
            preferred: Cell::new(0),
        })
    }

    /// The nodes, as given, for messages.
    pub fn urls(&self) -> String {
        self.nodes.join(",")
    }

    /// The node messages name: the one that answered last.
    pub fn url(&self) -> &str {
        &self.nodes[self.preferred.get()]
    }

    /// Sends one request to the first node that answers, retrying as the module doc says;
    /// any answer but 5xx is returned (401 and 403 as [`RemoteError::Unauthorized`]).
    pub fn request(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<Answer, RemoteError> {
        let started = std::time::Instant::now();
        let mut last = String::new();
        let mut pause = FIRST_PAUSE;
        // Nothing answered at all: the cluster is down or the address wrong, so give up
        // soon. A node answered 5xx (no leader yet, lagging): an election takes seconds.
        let mut any_answer = false;
        // A node took the connection and said nothing in time (a frozen process): passed
        // over, like one that is down, and not waited for again.
        let mut silent = false;
        loop {
            for step in 0..self.nodes.len() {
                let node = (self.preferred.get() + step) % self.nodes.len();
                match self.once(node, method, path, query, body) {
                    Ok(answer) if answer.status >= 500 => {
                        any_answer = true;
                        last = format!(
                            "{} answered HTTP {}: {}",
                            self.nodes[node],
                            answer.status,
                            gist(&answer.body)
                        );
                    }
                    Ok(answer) => {
                        self.preferred.set(node);
                        if answer.status == 401 || answer.status == 403 {
                            return Err(RemoteError::Unauthorized {
                                url: self.nodes[node].clone(),
                                status: answer.status,
                            });
                        }
                        return Ok(answer);
                    }
                    Err(ureq::Error::Timeout(t))
                        if !matches!(t, ureq::Timeout::Connect | ureq::Timeout::Resolve) =>
                    {
                        silent = true;
                        let waited = self.quick.config().timeouts().recv_response;
                        last = if t == ureq::Timeout::RecvResponse {
                            format!(
                                "{} said nothing for {} s",
                                self.nodes[node],
                                waited.unwrap_or(ANSWER_TIMEOUT).as_secs_f64()
                            )
                        } else {
                            format!(
                                "{} did not finish answering within {} s",
                                self.nodes[node],
                                REQUEST_TIMEOUT.as_secs()
                            )
                        };
                    }
                    Err(e) => {
                        // A node that took the connection and then failed (a follower
                        // whose leader just died answers garbage) is busy, not down.
                        any_answer |= !is_down(&e);
                        last = if self.nodes.len() > 1 {
                            format!("{}: {e}", self.nodes[node])
                        } else {
                            e.to_string()
                        };
                    }
                }
            }
            let budget = if any_answer { BUSY_BUDGET } else { DOWN_BUDGET };
            if started.elapsed() + pause > budget {
                break;
            }
            std::thread::sleep(pause);
            pause *= 2;
        }
        let urls = self.urls();
        Err(if any_answer {
            RemoteError::Failing { urls, detail: last }
        } else if silent {
            RemoteError::Silent { urls, detail: last }
        } else {
            RemoteError::Unreachable { urls, detail: last }
        })
    }

    fn once(
        &self,
        node: usize,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<Answer, ureq::Error> {
        let url = format!("{}{path}", self.nodes[node]);
        let q = query.iter().copied();
        let slow = path.ends_with("/documents/import")
            || path.ends_with("/documents/export")
            || method == Method::Delete;
        let agent = if slow { &self.agent } else { &self.quick };
        let response = match method {
            Method::Get => agent
                .get(&url)
                .header(KEY_HEADER, &self.key)
                .query_pairs(q)
                .call(),
            Method::Delete => agent
                .delete(&url)
                .header(KEY_HEADER, &self.key)
                .query_pairs(q)
                .call(),
            Method::Post => agent
                .post(&url)
                .header(KEY_HEADER, &self.key)
                .header("Content-Type", "application/json")
                .query_pairs(q)
                .send(body.unwrap_or("")),
        };
        let mut response = response?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(u64::MAX)
            .read_to_string()?;
        Ok(Answer { status, body })
    }

    /// A request whose answer must be a success with a JSON body.
    pub fn json(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&str>,
        what: &str,
    ) -> Result<serde_json::Value, RemoteError> {
        let answer = self.request(method, path, query, body)?;
        if !(200..300).contains(&answer.status) {
            return Err(self.http_error(what, &answer));
        }
        self.parse(what, &answer.body)
    }

    /// Reads a JSON answer.
    pub fn parse<T: serde::de::DeserializeOwned>(
        &self,
        what: &str,
        body: &str,
    ) -> Result<T, RemoteError> {
        serde_json::from_str(body).map_err(|e| RemoteError::Protocol {
            url: self.url().to_string(),
            what: what.to_string(),
            detail: e.to_string(),
        })
    }

    /// The error for an unexpected status: Typesense's own message when it sent one.
    pub fn http_error(&self, what: &str, answer: &Answer) -> RemoteError {
        let message = gist(&answer.body);
        RemoteError::Http {
            url: self.url().to_string(),
            what: what.to_string(),
            status: answer.status,
            message,
        }
    }

    /// The collection's path.
    pub fn collection_path(&self) -> String {
        format!("/collections/{}", self.collection)
    }
}

/// A client whose requests time out as `answer` says (see [`ANSWER_TIMEOUT`]).
fn agent(answer: Option<Duration>) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(REQUEST_TIMEOUT))
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_recv_response(answer)
        .build()
        .into()
}

/// What an answer's body says, in a few words for a one-line message: Typesense's own
/// `message`, else the start of the text with its line breaks folded — and a web page (what
/// some other server at the address sends) named as one.
fn gist(body: &str) -> String {
    if let Some(message) = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(String::from))
    {
        return message;
    }
    let text = body.trim_start();
    if text.starts_with('<') {
        return "a web page, not Typesense's JSON (is this address a Typesense node?)".into();
    }
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() > 200 {
        format!("{}…", folded.chars().take(200).collect::<String>())
    } else {
        folded
    }
}

/// ` --collection NAME` for a collection other than the default one.
fn collection_flag(collection: &str) -> String {
    if collection == DEFAULT_COLLECTION {
        String::new()
    } else {
        format!(" --collection {collection}")
    }
}

/// True when `e` says nothing listens at the address (or it does not resolve): no point in
/// waiting long for it.
fn is_down(e: &ureq::Error) -> bool {
    match e {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed | ureq::Error::BadUri(_) => true,
        ureq::Error::Io(io) => {
            matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused
                    | std::io::ErrorKind::AddrNotAvailable
                    | std::io::ErrorKind::NotFound
            ) || io.to_string().contains("failed to lookup address")
        }
        ureq::Error::Timeout(t) => matches!(t, ureq::Timeout::Connect | ureq::Timeout::Resolve),
        _ => false,
    }
}

/// `url` without a trailing slash, if it is an http(s) address with a host.
fn check_url(url: &str) -> Result<String, RemoteError> {
    let bad = |reason: &str| RemoteError::BadUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| bad("it must start with http:// or https://"))?;
    let host = rest.split('/').next().unwrap_or("");
    // "http://:8108" names a port and no host.
    if host.is_empty() || host.starts_with(':') || host.starts_with('@') {
        return Err(bad("it names no host"));
    }
    if let Some((user, _)) = host.rsplit_once('@') {
        // Not repeated in the message: it may hold a password.
        return Err(RemoteError::BadUrl {
            url: url.replacen(user, "…", 1),
            reason: "give the address without a user name or password (the key goes in --api-key or DURAND_REMOTE_KEY)".into(),
        });
    }
    if rest.contains(['?', '#']) || rest.trim_end_matches('/').contains('/') {
        return Err(bad("give the node's address alone (http://HOST:PORT)"));
    }
    ureq::http::Uri::try_from(url).map_err(|e| bad(&format!("{e}")))?;
    // After an IPv6 address's brackets, or the last colon.
    let port = match host.rsplit_once(']') {
        Some((_, after)) => after.strip_prefix(':'),
        None => host.rsplit_once(':').map(|(_, p)| p),
    };
    if let Some(port) = port
        && !port.parse::<u16>().is_ok_and(|p| p > 0)
    {
        return Err(bad(&format!(
            "its port {port:?} is not a number from 1 to 65535"
        )));
    }
    Ok(url.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_collection_and_skip_an_empty_message() {
        let e = RemoteError::NoCollection {
            url: "http://h:1".into(),
            collection: "nosuch".into(),
        };
        assert!(
            e.to_string()
                .contains("run `durand push http://h:1 --collection nosuch` first"),
            "{e}"
        );
        let e = RemoteError::Http {
            url: "http://h:1".into(),
            what: "a search".into(),
            status: 404,
            message: " ".into(),
        };
        assert_eq!(
            e.to_string(),
            "the cluster at http://h:1 answered a search with HTTP 404"
        );
    }

    #[test]
    fn an_answer_is_told_in_a_few_words() {
        assert_eq!(gist(r#"{"message": "Not Found"}"#), "Not Found");
        let page = "<!DOCTYPE HTML>\n<html><body>Error 501</body></html>";
        assert!(gist(page).starts_with("a web page"), "{}", gist(page));
        assert_eq!(gist("  busy\n  electing\n"), "busy electing");
        let long = "x ".repeat(300);
        assert_eq!(gist(&long).chars().count(), 201);
    }

    #[test]
    fn a_name_that_does_not_resolve_is_down_at_once() {
        use std::net::ToSocketAddrs;
        // The resolver's own error, as ureq passes it on (`.invalid` never resolves).
        let err = "nosuchhost.invalid:8108".to_socket_addrs().unwrap_err();
        assert!(is_down(&ureq::Error::Io(err)));
        assert!(!is_down(&ureq::Error::Io(std::io::Error::other("reset"))));
    }

    #[test]
    fn addresses_are_checked_before_anything_is_sent() {
        assert_eq!(
            check_url("http://127.0.0.1:8108/").unwrap(),
            "http://127.0.0.1:8108"
        );
        for bad in [
            "127.0.0.1:8108",
            "ftp://x",
            "http://",
            "http://h:1/collections",
            "http://[::1",
            "http://a b",
            "http://127.0.0.1:abc",
            "http://127.0.0.1:99999",
            "http://127.0.0.1:0",
            "http://:8108",
        ] {
            let e = check_url(bad).unwrap_err().to_string();
            assert!(e.starts_with("bad remote address"), "{bad}: {e}");
        }
        let e = check_url("http://admin:s3cret@h:8108")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("s3cret") && e.contains("--api-key"), "{e}");
        assert_eq!(check_url("http://[::1]:8108").unwrap(), "http://[::1]:8108");
        let e = Remote::new("http://a:1, ,http://b:2", "", "durand")
            .err()
            .unwrap();
        assert!(e.to_string().contains("DURAND_REMOTE_KEY"), "{e}");
        let r = Remote::new("http://a:1, ,http://b:2", "k", "durand").unwrap();
        assert_eq!(r.urls(), "http://a:1,http://b:2");
    }

    #[test]
    fn a_host_that_refuses_connections_is_unreachable_not_a_panic() {
        // A port nothing listens on: bind one, note it, close it.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let r = Remote::new(&format!("http://127.0.0.1:{port}"), "k", "durand").unwrap();
        let e = r.request(Method::Get, "/health", &[], None).err().unwrap();
        assert!(matches!(e, RemoteError::Unreachable { .. }), "{e}");
    }

    /// A node that takes the connection and never answers (a frozen process) is passed over
    /// for the next node after [`ANSWER_TIMEOUT`], which then answers every later request;
    /// alone, it is said to have said nothing, once, not waited for again. (The limit is cut
    /// to a second here.)
    #[test]
    fn a_node_that_never_answers_is_passed_over() {
        let answering = |r: Remote| Remote {
            quick: agent(Some(Duration::from_secs(1))),
            ..r
        };
        use std::io::{Read, Write};
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let good = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let (s, g) = (silent.local_addr().unwrap(), good.local_addr().unwrap());
        std::thread::spawn(move || {
            // Connections are held open, unanswered.
            let held: Vec<_> = silent.incoming().collect();
            drop(held);
        });
        std::thread::spawn(move || {
            for stream in good.incoming() {
                let mut stream = stream.unwrap();
                let mut buf = [0; 4096];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                );
            }
        });
        let r = answering(Remote::new(&format!("http://{s},http://{g}"), "k", "durand").unwrap());
        let started = std::time::Instant::now();
        let answer = r.request(Method::Get, "/health", &[], None).unwrap();
        assert_eq!((answer.status, answer.body.as_str()), (200, "{}"));
        assert!(started.elapsed() < Duration::from_secs(5));
        let again = std::time::Instant::now();
        r.request(Method::Get, "/health", &[], None).unwrap();
        assert!(again.elapsed() < Duration::from_secs(2));
        let alone = answering(Remote::new(&format!("http://{s}"), "k", "durand").unwrap());
        let started = std::time::Instant::now();
        let e = alone
            .request(Method::Get, "/health", &[], None)
            .err()
            .unwrap();
        assert!(matches!(e, RemoteError::Silent { .. }), "{e}");
        assert!(e.to_string().contains("said nothing for 1 s"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    /// A server at the address that is not Typesense answers 5xx with a web page: said to
    /// answer, the page named, never pasted into the one-line message.
    #[test]
    fn a_web_server_that_is_not_typesense_is_said_to_answer() {
        use std::io::{Read, Write};
        let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let at = server.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in server.incoming() {
                let mut stream = stream.unwrap();
                let mut buf = [0; 4096];
                let _ = stream.read(&mut buf);
                let page = "<html>\n<body>Unsupported method</body>\n</html>";
                let _ = stream.write_all(
                    format!(
                        "HTTP/1.1 501 Not Implemented\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                        page.len()
                    )
                    .as_bytes(),
                );
            }
        });
        let r = Remote::new(&format!("http://{at}"), "k", "durand").unwrap();
        let e = r
            .request(Method::Post, "/multi_search", &[], Some("{}"))
            .err()
            .unwrap();
        assert!(matches!(e, RemoteError::Failing { .. }), "{e}");
        let message = e.to_string();
        assert!(
            message.contains("answered HTTP 501: a web page"),
            "{message}"
        );
        assert!(
            !message.contains("<html>") && !message.contains('\n'),
            "{message}"
        );
    }
}
