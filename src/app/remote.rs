//! What `push` and every `--remote` command need: a client for the cluster named on the
//! command line and the entity names its filters resolve against.

use super::Context;
use crate::cli::RemoteAccessArgs;
use crate::remote::Remote;
use crate::remote::query::Vocabulary;

/// A client for the cluster at `urls` with the collection and key of `access`.
pub(crate) fn connect(urls: &str, access: &RemoteAccessArgs) -> anyhow::Result<Remote> {
    let key = access.api_key.as_deref().unwrap_or("");
    Ok(Remote::new(urls, key, &access.collection)?)
}

/// The names remote filters resolve against: the local index's tables when it opens, else
/// the built-in ones (a remote search needs no local index).
pub(crate) fn vocabulary(ctx: &Context) -> Vocabulary {
    Vocabulary::of_index_dir(&ctx.dir)
}
