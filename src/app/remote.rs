//! What `push` and every `--remote` command need: a client for the cluster named on the
//! command line and the entity names its filters resolve against.

use super::Context;
use crate::cli::{RemoteAccessArgs, RemoteArgs};
use crate::remote::Remote;
use crate::remote::query::Vocabulary;

/// A client for the cluster at `urls` with the collection and key of `access`.
pub(crate) fn connect(urls: &str, access: &RemoteAccessArgs) -> anyhow::Result<Remote> {
    let key = access.api_key.as_deref().unwrap_or("");
    Ok(Remote::new(urls, key, &access.collection)?)
}

/// A client for the cluster a search command names with `--remote`, or `None` to search the
/// local index. A collection named without a cluster is a mistake, not a local search.
pub(crate) fn remote_of(args: &RemoteArgs) -> anyhow::Result<Option<Remote>> {
    match &args.remote {
        Some(urls) => connect(urls, &args.access).map(Some),
        None if args.access.collection != crate::remote::DEFAULT_COLLECTION => anyhow::bail!(
            "--collection names a collection on a cluster; give the cluster with --remote URL"
        ),
        None => Ok(None),
    }
}

/// The names remote filters resolve against: the local index's tables when it opens, else
/// the built-in ones (a remote search needs no local index).
pub(crate) fn vocabulary(ctx: &Context) -> Vocabulary {
    Vocabulary::of_index_dir(&ctx.dir)
}
