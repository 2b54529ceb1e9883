//! Years as people write them: `2022`, `2018-2022`, `2018,2020`, or a mix.

use std::collections::BTreeSet;

use anyhow::Result;

use crate::base::error;

/// Years as typed: `2022`, `2018-2022`, `2018,2020`, or a mix (`2015,2018-2020`).
pub(crate) fn parse_years(text: &str) -> Result<Vec<i32>> {
    let hint = "write years as 2022, 2018-2022 or 2018,2020";
    let mut years = BTreeSet::new();
    for part in text.split(',').map(str::trim) {
        let year = |s: &str| -> Result<i32> {
            let s = s.trim();
            match s.parse::<i32>() {
                Ok(y) if (1950..=2100).contains(&y) && s.len() == 4 => Ok(y),
                _ => Err(error::usage(format!(
                    "'{s}' in --years '{text}' is not a year; {hint}"
                ))),
            }
        };
        if part.is_empty() {
            return Err(error::usage(format!(
                "--years '{text}' has an empty item; {hint}"
            )));
        }
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (year(from)?, year(to)?);
                if from > to {
                    return Err(error::usage(format!(
                        "year range {part} is reversed; write {to}-{from}"
                    )));
                }
                years.extend(from..=to);
            }
            None => {
                years.insert(year(part)?);
            }
        }
    }
    Ok(years.into_iter().collect())
}

/// Years compactly: `2018-2022`, `2015, 2018-2020`.
pub(crate) fn format_years(years: &[i32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let start = years[i];
        let mut end = start;
        while i + 1 < years.len() && years[i + 1] == end + 1 {
            i += 1;
            end = years[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_parse_in_every_form() {
        assert_eq!(parse_years("2022").unwrap(), vec![2022]);
        assert_eq!(parse_years("2018-2020").unwrap(), vec![2018, 2019, 2020]);
        assert_eq!(parse_years("2020,2018").unwrap(), vec![2018, 2020]);
        assert_eq!(
            parse_years("2015, 2018-2019").unwrap(),
            vec![2015, 2018, 2019]
        );
    }

    #[test]
    fn bad_years_say_what_to_do() {
        let reversed = parse_years("2022-2018").unwrap_err().to_string();
        assert!(
            reversed.contains("reversed") && reversed.contains("2018-2022"),
            "{reversed}"
        );
        for bad in ["20x2", "2018-", "", "18", "2018,,2019"] {
            assert!(parse_years(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn years_format_compactly() {
        assert_eq!(format_years(&[2015, 2018, 2019, 2020]), "2015, 2018-2020");
    }
}
