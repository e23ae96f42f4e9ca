//! What `push` and every `--remote` command need: a client for the cluster named on the
//! command line and the entity names its filters resolve against.

use super::Context;
use crate::cli::{RemoteAccessArgs, RemoteArgs};
use crate::remote::Remote;
use crate::remote::query::Vocabulary;

/// Where the cluster's API key comes from when `--api-key` is not given.
const KEY_VARIABLE: &str = "DURAND_REMOTE_KEY";

/// A client for the cluster at `urls` with the collection and key of `access` (the key from
/// `$DURAND_REMOTE_KEY` when the command line gives none).
pub(crate) fn connect(urls: &str, access: &RemoteAccessArgs) -> anyhow::Result<Remote> {
    let key = match &access.api_key {
        Some(key) => key.clone(),
        None => std::env::var(KEY_VARIABLE).unwrap_or_default(),
    };
    Ok(Remote::new(urls, &key, &access.collection)?)
}

/// A client for the cluster a search command names with `--remote`, or `None` to search the
/// local index. A collection or a key given without a cluster is a mistake, not a local search
/// (the key in the environment is not: it waits for a `--remote`).
pub(crate) fn remote_of(args: &RemoteArgs) -> anyhow::Result<Option<Remote>> {
    let stray = if args.access.collection != crate::remote::DEFAULT_COLLECTION {
        Some("--collection names a collection on a cluster")
    } else if args.access.api_key.is_some() {
        Some("--api-key is the key of a cluster")
    } else {
        None
    };
    match (&args.remote, stray) {
        (Some(urls), _) => connect(urls, &args.access).map(Some),
        (None, Some(what)) => {
            anyhow::bail!("{what}; give the cluster with --remote URL")
        }
        (None, None) => Ok(None),
    }
}

/// The names remote filters resolve against: the local index's tables when it opens, else
/// the built-in ones (a remote search needs no local index).
pub(crate) fn vocabulary(ctx: &Context) -> Vocabulary {
    Vocabulary::of_index_dir(&ctx.dir)
}
