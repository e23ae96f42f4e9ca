//! Which district a town lies in (`src/tag/data/within.tsv`, from GeoNames' admin2 codes), so
//! that a report naming a town and one naming its district can be read as one place: Khar or
//! Jaranwala beside Bajaur or Faisalabad.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::table::rows;

/// (country, province, town) → district.
static WITHIN: LazyLock<HashMap<(String, String, String), String>> = LazyLock::new(|| {
    rows(include_str!("data/within.tsv"))
        .filter_map(|(_, cols)| match cols.as_slice() {
            [country, province, town, district] => Some((
                (country.to_string(), province.to_string(), town.to_string()),
                district.to_string(),
            )),
            _ => None,
        })
        .collect()
});

/// The district `town` of `province` lies in, when the built-in tables know one.
pub fn district_of(country: &str, province: &str, town: &str) -> Option<&'static str> {
    WITHIN
        .get(&(country.to_string(), province.to_string(), town.to_string()))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tag::{EntityKind, Table};

    #[test]
    fn every_row_reads_and_names_a_district_of_the_place_table() {
        let rows = rows(include_str!("data/within.tsv")).count();
        assert_eq!(WITHIN.len(), rows, "a row without four columns");
        let table = Table::builtin();
        let places = EntityKind::places().unwrap();
        let known = |country: &str, province: &str, place: &str| {
            table.entities.iter().any(|e| {
                e.kind == places
                    && e.country == country
                    && e.name == province
                    && e.place.as_deref() == Some(place)
            })
        };
        for ((country, province, town), district) in WITHIN.iter() {
            assert!(known(country, province, town), "{town}");
            assert!(known(country, province, district), "{district}");
        }
        assert_eq!(
            district_of("Pakistan", "Punjab", "Jaranwala"),
            Some("Faisalabad")
        );
        assert_eq!(
            district_of("Pakistan", "Khyber Pakhtunkhwa", "Miranshah"),
            Some("North Waziristan")
        );
        assert_eq!(district_of("Pakistan", "Punjab", "Lahore"), None);
    }
}
