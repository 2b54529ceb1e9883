//! Text: matching what a person typed against Swedish names and titles,
//! suggestions for typos, and numbers written without binary noise.

/// A name as typed, made comparable: composed (NFC: "Ha\u{30a}bo" is
/// "Håbo") and without invisible format characters (zero-width spaces and
/// joiners, word joiners, byte-order marks, soft hyphens) a copy from a
/// web page or document may carry.
pub(crate) fn typed_name(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc()
        .filter(|c| {
            !matches!(
                c,
                '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
            )
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Text from outside (a mirror's titles, an error body) that is safe on a
/// terminal: control characters (escape sequences that set a window title,
/// write the clipboard or clear the screen) and bidirectional overrides
/// removed; line breaks and tabs stay.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if text.chars().any(unsafe_char) {
        text.chars()
            .filter(|&c| !unsafe_char(c))
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// A message with the user name and password of every URL in it hidden
/// (`https://***@mirror.example/v3`): `--api-url` may carry credentials,
/// and errors quote it.
pub(crate) fn without_credentials(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("://") || !text.contains('@') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (before, after) = rest.split_at(i + 3);
        out.push_str(before);
        let authority_end = after
            .find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace() || c == '\'')
            .unwrap_or(after.len());
        match after[..authority_end].rfind('@') {
            Some(at) => {
                out.push_str("***");
                rest = &after[at..];
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out.into()
}

/// Lower-case, strip diacritics (å→a, ä→a, ö→o, é→e) and collapse everything
/// that is not a letter or digit to single spaces: "Tjörns  kommun" → "tjorns kommun".
pub(crate) fn fold(text: &str) -> String {
    let plain = deunicode::deunicode(text).to_lowercase();
    let mut out = String::with_capacity(plain.len());
    for word in plain
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The candidates closest to `query` (both folded), best first, at most `n`,
/// leaving out those too far away to be a plausible typo.
pub(crate) fn closest<'a, I>(query: &str, candidates: I, n: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let q = fold(query);
    let mut scored: Vec<(f64, &'a str)> = candidates
        .into_iter()
        .map(|c| {
            let f = fold(c);
            let mut score = strsim::jaro_winkler(&q, &f);
            if !q.is_empty() && f.contains(&q) {
                score = score.max(0.9);
            }
            (score, c)
        })
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

/// The ids (KPI ids such as N20900) closest to a mistyped one, best first:
/// edit distance after reading look-alikes as digits (O→0, I/l→1).
pub(crate) fn closest_ids<'a, I>(typed: &str, ids: I, n: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let plain = |s: &str| -> String {
        s.to_uppercase()
            .chars()
            .map(|c| match c {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            })
            .collect()
    };
    let typed = plain(typed);
    let mut scored: Vec<(usize, &str)> = ids
        .into_iter()
        .map(|id| (strsim::damerau_levenshtein(&typed, &plain(id)), id))
        .filter(|(distance, _)| *distance <= 2)
        .collect();
    scored.sort();
    scored.into_iter().take(n).map(|(_, id)| id).collect()
}

/// "did you mean A, B or C? " for the guesses closest to what was typed
/// (a space after it, to stand before what to do), or nothing without one.
pub(crate) fn did_you_mean(guesses: &[String]) -> String {
    if guesses.is_empty() {
        String::new()
    } else {
        format!("did you mean {}? ", or_list(guesses))
    }
}

/// "a, b or c" for a message.
pub(crate) fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_outside_is_safe_to_print() {
        assert_eq!(
            printable("a\u{1b}]0;x\u{7}b\u{202e}c\td\ne\u{9b}"),
            "a]0;xbc\td\ne"
        );
        assert_eq!(
            without_credentials("cannot reach https://ann:s3cret@mirror.se:8/v3/kpi (x); also http://h/v3 and 'http://u@h'"),
            "cannot reach https://***@mirror.se:8/v3/kpi (x); also http://h/v3 and 'http://***@h'"
        );
    }

    #[test]
    fn typed_names_are_composed_and_visible() {
        assert_eq!(typed_name("Ha\u{30a}bo"), "Håbo");
        assert_eq!(typed_name(" Hå\u{200b}bo\u{feff}"), "Håbo");
    }

    #[test]
    fn folds_swedish_names() {
        assert_eq!(fold("Tjörns  kommun"), "tjorns kommun");
        assert_eq!(fold("Äldreomsorg, (%)"), "aldreomsorg");
        assert_eq!(fold("Upplands-Bro"), "upplands bro");
    }

    #[test]
    fn closest_finds_typos() {
        let names = ["Tjörn", "Tanum", "Tierp", "Göteborg"];
        assert_eq!(closest("Tjörnn", names, 1), vec!["Tjörn"]);
        assert!(closest("xyzzy", names, 3).is_empty());
    }

    #[test]
    fn closest_ids_read_look_alikes() {
        let ids = ["N21900", "N20900", "N29002"];
        assert_eq!(closest_ids("N2O900", ids, 1), vec!["N20900"]);
        assert_eq!(closest_ids("n2090", ids, 1), vec!["N20900"]);
    }

    #[test]
    fn or_list_reads_naturally() {
        let items = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(or_list(&items), "a, b or c");
    }
}

/// Decimals in the shortest text that reads back as `value` ("-4.4413" → 4).
pub(crate) fn decimals_of(value: f64) -> usize {
    let text = value.to_string();
    match text.split_once('.') {
        Some((_, fraction)) if !text.contains('e') => fraction.len(),
        _ => 0,
    }
}

/// `new − old` for two published figures, with as many decimals as the more
/// precise of them: the exact decimal difference, without the noise of
/// binary arithmetic (-0.4628, not -0.46280000000000054).
pub(crate) fn difference(old: f64, new: f64) -> f64 {
    let places = decimals_of(old).max(decimals_of(new)).min(15);
    let raw = new - old;
    format!("{raw:.places$}").parse().unwrap_or(raw)
}

/// The mean of published figures as a person with a calculator would get
/// it: the sum in exact decimals, divided, rounded to `digits` significant
/// digits (at most 17) with a half away from zero. The same peers give the
/// same mean in any order. `None` for no figures, or figures whose decimals
/// an exact sum cannot hold.
pub(crate) fn decimal_mean(values: &[f64], digits: u32) -> Option<f64> {
    let places = values.iter().map(|v| decimals_of(*v)).max()?;
    if places > 18 {
        return None;
    }
    let mut sum: i128 = 0;
    for v in values {
        let units: i128 = format!("{v:.places$}").replace('.', "").parse().ok()?;
        sum = sum.checked_add(units)?;
    }
    // The mean is sum / divisor (the sum in units of the last decimal).
    let divisor = (values.len() as u128).checked_mul(10u128.pow(places as u32))?;
    let (negative, numerator) = (sum < 0, sum.unsigned_abs());
    if numerator == 0 {
        return Some(0.0);
    }
    // Scaled by 10^exponent to `digits` digits: 10^(digits−1) ≤ num / den < 10^digits.
    let (low, high) = (
        10u128.pow(digits.clamp(1, 17) - 1),
        10u128.pow(digits.clamp(1, 17)),
    );
    let (mut num, mut den, mut exponent) = (numerator, divisor, 0i32);
    while num / den >= high {
        den = den.checked_mul(10)?;
        exponent -= 1;
    }
    while num / den < low {
        num = num.checked_mul(10)?;
        exponent += 1;
    }
    let mut digits = num / den;
    if (num % den).checked_mul(2)? >= den {
        digits += 1;
    }
    let sign = if negative { "-" } else { "" };
    format!("{sign}{digits}e{}", -exponent).parse().ok()
}

/// A figure nyckeltal computed (a mean, a share), rounded to 12
/// significant digits, below the noise that sums of a dozen floats gather:
/// 0.8648, not 0.8648000000000001; 996.225, not 996.224999999999.
pub(crate) fn without_noise(value: f64) -> f64 {
    if !value.is_finite() || value == 0.0 {
        return value;
    }
    format!("{value:.11e}").parse().unwrap_or(value)
}

/// A float for a terminal table: Kolada's figure as received when it has at
/// most 10 decimals, otherwise rounded to 10 (exports keep every digit).
pub(crate) fn terminal_float(value: f64) -> String {
    if decimals_of(value) <= 10 {
        return value.to_string();
    }
    let text = format!("{value:.10}");
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod number_tests {
    use super::*;

    #[test]
    fn means_are_exact_in_decimal_and_round_a_half_up() {
        assert_eq!(decimal_mean(&[1.0, 2.0], 12), Some(1.5));
        assert_eq!(decimal_mean(&[0.1, 0.2], 12), Some(0.15));
        assert_eq!(decimal_mean(&[-4.5628, -4.5629], 12), Some(-4.56285));
        assert_eq!(decimal_mean(&[1.0, 2.0, 2.0], 12), Some(1.66666666667));
        assert_eq!(
            decimal_mean(&[1119818.49680, 1119818.49681], 12),
            Some(1119818.49681)
        );
        // 238561.5718005 exactly (as doubles, a hair below): a half, up.
        assert_eq!(
            decimal_mean(&[238561.5718, 238561.571801], 12),
            Some(238561.571801)
        );
        assert_eq!(decimal_mean(&[], 12), None);
        assert_eq!(decimal_mean(&[1.0, 2.0, 2.0], 17), Some(5.0 / 3.0));
    }

    #[test]
    fn differences_have_the_decimals_of_their_figures() {
        assert_eq!(difference(1.4628, 1.0), -0.4628);
        assert_eq!(difference(0.1, 0.3), 0.2);
        assert_eq!(difference(1045117.647058, 1045117.647059), 0.000001);
        assert_eq!(terminal_float(-0.46280000000000054), "-0.4628");
        assert_eq!(without_noise(0.8648000000000001), 0.8648);
        assert_eq!(without_noise(-4.9959999999999996), -4.996);
        assert_eq!(without_noise(996.224999999999), 996.225);
        assert_eq!(
            without_noise(8.929657142857144).to_string(),
            "8.92965714286"
        );
        assert_eq!(terminal_float(0.6795538461538461), "0.6795538462");
        assert_eq!(terminal_float(-4.4413), "-4.4413");
        assert_eq!(terminal_float(1045117.647058), "1045117.647058");
    }
}
