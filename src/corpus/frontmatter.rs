//! The optional `---` block at the top of a `.txt`/`.md` file whose `key: value` lines
//! (`title`, `date`, `source`, `url`) override what would be extracted from the text.

/// Values read from a front-matter block; unknown keys are ignored.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
}

fn unquote(v: &str) -> &str {
    let v = v.trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

/// Splits `content` into its front matter and the body after it. Without a complete block
/// (opening `---` on the first line and a closing `---` or `...`), everything is body.
pub fn split_front_matter(content: &str) -> (FrontMatter, &str) {
    let mut fm = FrontMatter::default();
    let Some(rest) = content
        .strip_prefix("---\n")
        .or_else(|| content.strip_prefix("---\r\n"))
    else {
        return (fm, content);
    };
    let mut offset = content.len() - rest.len();
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return (fm, &content[offset..]);
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        let value = unquote(value);
        if value.is_empty() {
            continue;
        }
        let slot = match key.trim().to_ascii_lowercase().as_str() {
            "title" => &mut fm.title,
            "date" | "published" => &mut fm.date,
            "source" | "publisher" => &mut fm.source,
            "url" | "link" => &mut fm.url,
            _ => continue,
        };
        *slot = Some(value.to_string());
    }
    (FrontMatter::default(), content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_known_keys_and_returns_the_body() {
        let text = "---\ntitle: \"Strike in Kunar\"\ndate: 2024-12-29\ntags: x\n---\nBody here.\n";
        let (fm, body) = split_front_matter(text);
        assert_eq!(fm.title.as_deref(), Some("Strike in Kunar"));
        assert_eq!(fm.date.as_deref(), Some("2024-12-29"));
        assert_eq!(body, "Body here.\n");
    }

    #[test]
    fn an_unclosed_block_is_body() {
        let text = "---\ntitle: x\nno end";
        let (fm, body) = split_front_matter(text);
        assert_eq!(fm, FrontMatter::default());
        assert_eq!(body, text);
    }

    #[test]
    fn no_block_is_body() {
        let (fm, body) = split_front_matter("Title\n\n---\n");
        assert!(fm.title.is_none());
        assert_eq!(body, "Title\n\n---\n");
    }
}
