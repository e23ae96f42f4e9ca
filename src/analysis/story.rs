//! Story groups: syndicated copies and lightly re-worded reports of one story share most of
//! their word pairs. A MinHash signature of each document's word pairs estimates how much
//! two documents share without comparing their texts; its bands (locality-sensitive hashing)
//! find the candidates among thousands by looking their keys up, so adding a document never
//! re-reads the collection (only its column of band keys; `index::sync::stories`).

use xxhash_rust::xxh3::xxh3_64;

/// Hashes per signature.
pub const HASHES: usize = 32;
/// Rows per band: 8 bands of 4, so two documents sharing half of their word pairs become
/// candidates with probability 1 − (1 − 0.5⁴)⁸ ≈ 0.40, and at 0.7 ≈ 0.88.
pub const ROWS: usize = 4;
/// Bands per signature.
pub const BANDS: usize = HASHES / ROWS;
/// The estimated share of word pairs above which two documents are one story.
pub const THRESHOLD: f64 = 0.5;
/// Documents with fewer distinct word pairs than this stay stories of their own: a headline
/// alone says too little to call two reports copies.
pub const MIN_SHINGLES: usize = 8;

/// A document's MinHash signature; empty when it has too few word pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature(pub Vec<u32>);

/// Per-hash seeds, fixed forever: signatures are stored in indexes.
const fn seeds() -> [u64; HASHES] {
    let mut out = [0u64; HASHES];
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut i = 0;
    while i < HASHES {
        // splitmix64
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        out[i] = z ^ (z >> 31);
        i += 1;
    }
    out
}
const SEEDS: [u64; HASHES] = seeds();

fn mix(h: u64, seed: u64) -> u32 {
    let mut z = h ^ seed;
    z = (z ^ (z >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    z = (z ^ (z >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    (z ^ (z >> 33)) as u32
}

impl Signature {
    /// The signature of a text's word pairs (words: runs of letters and digits, lower-cased).
    /// Each word is hashed once, without allocating, and a pair's hash combines its words'.
    pub fn of(parts: &[&str]) -> Signature {
        let mut words: Vec<u64> = Vec::new();
        let mut buf = [0u8; 64];
        for part in parts {
            for word in part
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
            {
                words.push(word_hash(word, &mut buf));
            }
        }
        let mut shingles: Vec<u64> = words
            .windows(2)
            .map(|pair| pair[0].rotate_left(17) ^ pair[1].wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        shingles.sort_unstable();
        shingles.dedup();
        if shingles.len() < MIN_SHINGLES {
            return Signature::default();
        }
        let mut mins = vec![u32::MAX; HASHES];
        for &h in &shingles {
            for (min, &seed) in mins.iter_mut().zip(&SEEDS) {
                *min = (*min).min(mix(h, seed));
            }
        }
        Signature(mins)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The estimated share of word pairs two documents have in common (Jaccard).
    pub fn similarity(&self, other: &Signature) -> f64 {
        self.similarity_to(&other.0)
    }

    /// [`Signature::similarity`] to a signature's values held elsewhere.
    pub fn similarity_to(&self, other: &[u32]) -> f64 {
        if self.0.len() != HASHES || other.len() != HASHES {
            return 0.0;
        }
        let same = self.0.iter().zip(other).filter(|(a, b)| a == b).count();
        same as f64 / HASHES as f64
    }

    /// One key per band: documents sharing a key are candidates. Keys have 32 bits, which
    /// halves the column they are stored in; a chance collision only adds a candidate that
    /// the signature comparison then turns down.
    pub fn bands(&self) -> Vec<u32> {
        if self.0.len() != HASHES {
            return Vec::new();
        }
        self.0
            .chunks(ROWS)
            .enumerate()
            .map(|(band, rows)| {
                let mut bytes = Vec::with_capacity(1 + 4 * ROWS);
                bytes.push(band as u8);
                for r in rows {
                    bytes.extend_from_slice(&r.to_le_bytes());
                }
                (xxh3_64(&bytes) >> 32) as u32
            })
            .collect()
    }

    /// Little-endian bytes, for storing.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// The signature stored as [`Signature::to_bytes`]; empty when the bytes are not one.
    pub fn from_bytes(bytes: &[u8]) -> Signature {
        if bytes.len() != 4 * HASHES {
            return Signature::default();
        }
        Signature(
            bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        )
    }
}

/// The hash of a word, lower-cased: ASCII words through a stack buffer, others through a
/// lower-cased copy.
fn word_hash(word: &str, buf: &mut [u8; 64]) -> u64 {
    if word.is_ascii() && word.len() <= buf.len() {
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        xxh3_64(lower)
    } else {
        xxh3_64(word.to_lowercase().as_bytes())
    }
}

/// A story id as shown: 16 hex digits.
pub fn story_name(id: u64) -> String {
    format!("{id:016x}")
}

/// A story id from its shown form.
pub fn parse_story(name: &str) -> Option<u64> {
    u64::from_str_radix(name, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "A suicide bomber blew himself up inside a mosque in the Police Lines area of \
        Peshawar on Monday, killing at least 59 people and wounding 157 others, officials said.";

    #[test]
    fn copies_are_alike_and_other_stories_are_not() {
        let a = Signature::of(&["Mosque blast in Peshawar", REPORT]);
        let copy = Signature::of(&["Peshawar mosque bombing", REPORT]);
        let reworded = Signature::of(&[
            "Toll rises in Peshawar",
            &REPORT.replace("on Monday", "on Monday afternoon"),
        ]);
        let other = Signature::of(&[
            "Floods in Sindh",
            "Heavy rain flooded villages across Sindh province on Tuesday, and thousands of \
             families were moved to camps, the provincial disaster authority said.",
        ]);
        assert!(a.similarity(&copy) >= THRESHOLD, "{}", a.similarity(&copy));
        assert!(a.similarity(&reworded) >= THRESHOLD);
        assert!(a.similarity(&other) < 0.2, "{}", a.similarity(&other));
        // An exact copy under another feed's id shares every band; a near copy shares a
        // band with a probability that rises steeply with its similarity (see `ROWS`).
        let exact = Signature::of(&["Mosque blast in Peshawar", REPORT]);
        assert_eq!(a.bands(), exact.bands());
        assert_eq!(a.bands().len(), BANDS);
    }

    #[test]
    fn short_texts_have_no_signature_and_bytes_round_trip() {
        assert!(Signature::of(&["Blast in Quetta"]).is_empty());
        assert!(Signature::of(&["Blast in Quetta"]).bands().is_empty());
        let s = Signature::of(&[REPORT]);
        assert_eq!(Signature::from_bytes(&s.to_bytes()), s);
        assert!(Signature::from_bytes(&[1, 2, 3]).is_empty());
        assert_eq!(parse_story(&story_name(0xabc)), Some(0xabc));
        assert_eq!(story_name(7).len(), 16);
    }
}
