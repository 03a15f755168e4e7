//! How a plain (unquoted) scalar is read, exactly as PyYAML's `SafeLoader` reads it.
//!
//! The Azure ML SDK loads YAML with PyYAML, which follows YAML 1.1: `on`, `yes` and `off` are
//! booleans, `0755` is octal, `1:30` is 90, `1e-5` (no dot) is a *string*, `2024-01-01` is a date.
//! We read the same way so that our model means what the SDK sees, and the emitter uses the same
//! rules (plus YAML 1.2's) to decide which strings need quotes.

use super::node::Value;

/// What a plain scalar resolves to under PyYAML's implicit resolvers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Plain {
    Value(Value),
    /// `<<`: a merge key.
    Merge,
    /// `=`: PyYAML resolves it to a tag its safe loader cannot construct.
    ValueTag,
}

pub(crate) fn resolve_plain(s: &str) -> Result<Plain, String> {
    if !may_be_non_string(s) {
        return Ok(Plain::Value(Value::Str(s.to_owned())));
    }
    resolve_each_way(s)
}

/// [`resolve_plain`], trying every reading in turn.
fn resolve_each_way(s: &str) -> Result<Plain, String> {
    if is_null(s) {
        return Ok(Plain::Value(Value::Null));
    }
    if let Some(b) = pyyaml_bool(s) {
        return Ok(Plain::Value(Value::Bool(b)));
    }
    if is_pyyaml_int(s) {
        return construct_int(s).map(|i| Plain::Value(Value::Int(i)));
    }
    if is_pyyaml_float(s) {
        return Ok(Plain::Value(Value::Float(construct_float(s))));
    }
    if s == "<<" {
        return Ok(Plain::Merge);
    }
    if s == "=" {
        return Ok(Plain::ValueTag);
    }
    if is_timestamp(s) {
        return Ok(Plain::Value(Value::Timestamp(s.to_owned())));
    }
    Ok(Plain::Value(Value::Str(s.to_owned())))
}

/// Whether some YAML reader (PyYAML, the YAML 1.1 spec, or YAML 1.2's core schema) would read
/// this text, written plain, as anything but this very string.
pub(crate) fn is_ambiguous(s: &str) -> bool {
    may_be_non_string(s) && resolves_to_non_string(s)
}

/// Every text that some reader takes for a non-string starts with one of these (numbers, dates,
/// `.inf`, `~`, `null`, `true`, `yes`, `on`, `<<`, `=`…), or is empty: asked of every scalar read
/// and every string written, so that the rest are answered without trying each reading.
fn may_be_non_string(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        Some(b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b'<' | b'=') => true,
        // The words: `null`, `true`, `false`, `yes`, `no`, `on`, `off`, `y`, `n` in their cases,
        // none longer than `false`.
        Some(b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'y' | b'Y' | b'o' | b'O') => s.len() <= 5,
        Some(_) => false,
    }
}

fn resolves_to_non_string(s: &str) -> bool {
    !matches!(resolve_each_way(s), Ok(Plain::Value(Value::Str(_))))
        || is_yaml11_spec_bool(s)
        || is_yaml12_core_non_string(s)
}

fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

fn pyyaml_bool(s: &str) -> Option<bool> {
    match s {
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Some(true),
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

/// The YAML 1.1 specification also lists `y` and `n`, which PyYAML does not implement but other
/// 1.1 readers do.
fn is_yaml11_spec_bool(s: &str) -> bool {
    matches!(s, "y" | "Y" | "n" | "N")
}

fn is_yaml12_core_non_string(s: &str) -> bool {
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let all = |t: &str, f: fn(char) -> bool| !t.is_empty() && t.chars().all(f);
    if matches!(s, "true" | "True" | "TRUE" | "false" | "False" | "FALSE") {
        return true;
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return all(oct, |c| ('0'..='7').contains(&c));
    }
    if let Some(hex) = s.strip_prefix("0x") {
        return all(hex, |c| c.is_ascii_hexdigit());
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => all(frac, |c| c.is_ascii_digit()),
        Some((int, frac)) => {
            all(int, |c| c.is_ascii_digit()) && frac.chars().all(|c| c.is_ascii_digit())
        }
        None => all(mantissa, |c| c.is_ascii_digit()),
    };
    let exponent_ok = match exponent {
        None => true,
        Some(e) => all(e.strip_prefix(['-', '+']).unwrap_or(e), |c| {
            c.is_ascii_digit()
        }),
    };
    mantissa_ok && exponent_ok
}

fn digits(s: &str, ok: fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(ok)
}

fn dec_or_underscore(c: char) -> bool {
    c.is_ascii_digit() || c == '_'
}

/// `[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+`: YAML 1.1 base-60, the integer part.
fn is_sexagesimal_int(s: &str) -> bool {
    let mut parts = s.split(':');
    let Some(head) = parts.next() else {
        return false;
    };
    let head_ok =
        head.starts_with(|c: char| ('1'..='9').contains(&c)) && digits(head, dec_or_underscore);
    let mut count = 0;
    for part in parts {
        count += 1;
        if !is_base60_digit_group(part) {
            return false;
        }
    }
    head_ok && count > 0
}

fn is_base60_digit_group(p: &str) -> bool {
    let b = p.as_bytes();
    match b.len() {
        1 => b[0].is_ascii_digit(),
        2 => (b'0'..=b'5').contains(&b[0]) && b[1].is_ascii_digit(),
        _ => false,
    }
}

fn is_pyyaml_int(s: &str) -> bool {
    let u = s.strip_prefix(['-', '+']).unwrap_or(s);
    if let Some(bin) = u.strip_prefix("0b") {
        return digits(bin, |c| matches!(c, '0' | '1' | '_'));
    }
    if let Some(hex) = u.strip_prefix("0x") {
        return digits(hex, |c| c.is_ascii_hexdigit() || c == '_');
    }
    if u == "0" {
        return true;
    }
    if let Some(oct) = u.strip_prefix('0') {
        return digits(oct, |c| matches!(c, '0'..='7' | '_'));
    }
    if u.contains(':') {
        return is_sexagesimal_int(u);
    }
    u.starts_with(|c: char| ('1'..='9').contains(&c)) && digits(u, dec_or_underscore)
}

fn construct_int(s: &str) -> Result<i64, String> {
    let cleaned: String = s.chars().filter(|&c| c != '_').collect();
    let (negative, u) = match cleaned.as_bytes().first() {
        Some(b'-') => (true, &cleaned[1..]),
        Some(b'+') => (false, &cleaned[1..]),
        _ => (false, &cleaned[..]),
    };
    let too_big = || format!("the integer `{s}` does not fit in 64 bits");
    let magnitude: i128 = if u == "0" {
        0
    } else if let Some(bin) = u.strip_prefix("0b") {
        i128::from_str_radix(bin, 2).map_err(|_| too_big())?
    } else if let Some(hex) = u.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).map_err(|_| too_big())?
    } else if u.contains(':') {
        let mut acc: i128 = 0;
        for part in u.split(':') {
            let d: i128 = part.parse().map_err(|_| too_big())?;
            acc = acc
                .checked_mul(60)
                .and_then(|a| a.checked_add(d))
                .ok_or_else(too_big)?;
        }
        acc
    } else if let Some(oct) = u.strip_prefix('0') {
        i128::from_str_radix(oct, 8).map_err(|_| too_big())?
    } else {
        u.parse().map_err(|_| too_big())?
    };
    let value = if negative { -magnitude } else { magnitude };
    i64::try_from(value).map_err(|_| too_big())
}

/// PyYAML's float resolver. Note that it needs a dot, and a signed exponent: `1e-5` and `1.0e5`
/// are strings to PyYAML.
fn is_pyyaml_float(s: &str) -> bool {
    let u = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(u, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    if matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    // [0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    if u.contains(':') {
        let Some((int_part, frac)) = u.rsplit_once('.') else {
            return false;
        };
        let mut parts = int_part.split(':');
        let head = parts.next().unwrap_or("");
        let head_ok =
            head.starts_with(|c: char| c.is_ascii_digit()) && digits(head, dec_or_underscore);
        let mut groups = 0;
        for p in parts {
            groups += 1;
            if !is_base60_digit_group(p) {
                return false;
            }
        }
        return head_ok && groups > 0 && frac.chars().all(dec_or_underscore);
    }
    let (mantissa, exponent) = match u.find(['e', 'E']) {
        Some(at) => (&u[..at], Some(&u[at + 1..])),
        None => (u, None),
    };
    if let Some(e) = exponent {
        let Some(e_digits) = e.strip_prefix(['-', '+']) else {
            return false;
        };
        if !digits(e_digits, |c| c.is_ascii_digit()) {
            return false;
        }
    }
    match mantissa.split_once('.') {
        // [0-9][0-9_]*\.[0-9_]*
        Some((int, frac)) if !int.is_empty() => {
            int.starts_with(|c: char| c.is_ascii_digit())
                && digits(int, dec_or_underscore)
                && frac.chars().all(dec_or_underscore)
        }
        // \.[0-9][0-9_]*  (no sign allowed in PyYAML's pattern, but a sign is harmless here:
        // PyYAML's float() accepts it and the pattern with sign never reaches this branch)
        Some((_, frac)) => {
            s == u
                && frac.starts_with(|c: char| c.is_ascii_digit())
                && digits(frac, dec_or_underscore)
        }
        None => false,
    }
}

fn construct_float(s: &str) -> f64 {
    let cleaned: String = s
        .chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .to_lowercase();
    let (sign, u) = match cleaned.as_bytes().first() {
        Some(b'-') => (-1.0, &cleaned[1..]),
        Some(b'+') => (1.0, &cleaned[1..]),
        _ => (1.0, &cleaned[..]),
    };
    if u == ".inf" {
        return sign * f64::INFINITY;
    }
    if u == ".nan" {
        return f64::NAN;
    }
    if u.contains(':') {
        let mut acc = 0.0;
        for part in u.split(':') {
            acc = acc * 60.0 + part.parse::<f64>().unwrap_or(0.0);
        }
        return sign * acc;
    }
    // The resolver above guarantees Rust can parse what is left (digits, one dot, exponent).
    sign * u.parse::<f64>().unwrap_or(f64::NAN)
}

fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    // yyyy-mm-dd
    if b.len() == 10
        && (0..4).all(d)
        && b[4] == b'-'
        && d(5)
        && d(6)
        && b[7] == b'-'
        && d(8)
        && d(9)
    {
        return true;
    }
    // yyyy-m?m-d?d([Tt]|[ \t]+)h?h:mm:ss(\.[0-9]*)?(([ \t]*)(Z|[-+]h?h(:mm)?))?
    let mut i = 0;
    let take_digits = |i: &mut usize, min: usize, max: usize| -> bool {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
            *i += 1;
        }
        *i - start >= min
    };
    let expect = |i: &mut usize, c: u8| -> bool {
        if b.get(*i) == Some(&c) {
            *i += 1;
            true
        } else {
            false
        }
    };
    if !(take_digits(&mut i, 4, 4)
        && expect(&mut i, b'-')
        && take_digits(&mut i, 1, 2)
        && expect(&mut i, b'-')
        && take_digits(&mut i, 1, 2))
    {
        return false;
    }
    if matches!(b.get(i), Some(b'T' | b't')) {
        i += 1;
    } else {
        let start = i;
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if !(take_digits(&mut i, 1, 2)
        && expect(&mut i, b':')
        && take_digits(&mut i, 2, 2)
        && expect(&mut i, b':')
        && take_digits(&mut i, 2, 2))
    {
        return false;
    }
    if expect(&mut i, b'.') {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if i == b.len() {
        return true;
    }
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    if expect(&mut i, b'Z') {
        return i == b.len();
    }
    if !matches!(b.get(i), Some(b'-' | b'+')) {
        return false;
    }
    i += 1;
    if !take_digits(&mut i, 1, 2) {
        return false;
    }
    if expect(&mut i, b':') && !take_digits(&mut i, 2, 2) {
        return false;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        match resolve_plain(s).unwrap() {
            Plain::Value(v) => v,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn yaml11_booleans_and_nulls() {
        for s in ["yes", "Yes", "on", "ON", "true"] {
            assert_eq!(v(s), Value::Bool(true), "{s}");
        }
        for s in ["no", "off", "Off", "FALSE"] {
            assert_eq!(v(s), Value::Bool(false), "{s}");
        }
        for s in ["", "~", "null", "NULL"] {
            assert_eq!(v(s), Value::Null, "{s}");
        }
        // PyYAML does not implement the spec's y/n, but we still quote them on output.
        assert_eq!(v("y"), Value::Str("y".into()));
        assert!(is_ambiguous("y") && is_ambiguous("N"));
    }

    #[test]
    fn yaml11_integers() {
        assert_eq!(v("0755"), Value::Int(493));
        assert_eq!(v("0x1f"), Value::Int(31));
        assert_eq!(v("0b101"), Value::Int(5));
        assert_eq!(v("1:30"), Value::Int(90));
        assert_eq!(v("-1_000"), Value::Int(-1000));
        assert_eq!(v("0"), Value::Int(0));
        assert_eq!(v("42"), Value::Int(42));
        assert!(resolve_plain("99999999999999999999").is_err());
    }

    #[test]
    fn yaml11_floats_need_a_dot() {
        assert_eq!(v("0.01"), Value::Float(0.01));
        assert_eq!(v("1."), Value::Float(1.0));
        assert_eq!(v(".5"), Value::Float(0.5));
        assert_eq!(v("1.0e-5"), Value::Float(1.0e-5));
        assert_eq!(v("-.inf"), Value::Float(f64::NEG_INFINITY));
        assert_eq!(v("1:30.5"), Value::Float(90.5));
        assert_eq!(v("1e-5"), Value::Str("1e-5".into()));
        assert_eq!(v("1.0e5"), Value::Str("1.0e5".into()));
        assert!(is_ambiguous("1e-5"), "YAML 1.2 reads it as a number");
    }

    #[test]
    fn timestamps_and_specials() {
        assert_eq!(v("2024-01-01"), Value::Timestamp("2024-01-01".into()));
        assert_eq!(
            v("2001-12-14t21:59:43.10-05:00"),
            Value::Timestamp("2001-12-14t21:59:43.10-05:00".into())
        );
        assert_eq!(
            v("2001-12-14 21:59:43.10 -5"),
            Value::Timestamp("2001-12-14 21:59:43.10 -5".into())
        );
        assert_eq!(v("2024-1-1"), Value::Str("2024-1-1".into()));
        assert_eq!(resolve_plain("<<"), Ok(Plain::Merge));
        assert_eq!(resolve_plain("="), Ok(Plain::ValueTag));
    }

    #[test]
    fn ordinary_strings_are_not_ambiguous() {
        for s in [
            "azureml:cpu-cluster",
            "${{parent.inputs.x}}",
            "python train.py",
            "1.2.3",
            "v1",
            "0o8",
            "e5",
            "-",
        ] {
            assert!(!is_ambiguous(s), "{s}");
        }
        for s in ["0o17", "0x1F", "1e5", "+.5", ".NaN", "True", "1_0"] {
            assert!(is_ambiguous(s), "{s}");
        }
    }

    #[test]
    fn only_texts_starting_as_a_non_string_can_be_one() {
        let mut texts: Vec<String> = Vec::new();
        let chars: Vec<char> = (' '..='~').chain(['é', '\u{3000}']).collect();
        for a in &chars {
            texts.push(a.to_string());
            for b in &chars {
                texts.push(format!("{a}{b}"));
            }
        }
        for word in [
            "null",
            "NULL",
            "true",
            "False",
            "yes",
            "On",
            "OFF",
            ".inf",
            "-.Inf",
            ".NaN",
            "0x1f",
            "0o17",
            "1:30",
            "2024-01-01",
            "1e-5",
            "+1.5e+3",
            "<<",
            "=",
            "~",
            "_1",
            "$x",
            "a1",
        ] {
            texts.push(word.to_owned());
        }
        // Words as long as `false` and longer, starting as the words do.
        for word in [
            "null", "NULL", "true", "TRUE", "false", "FALSE", "yes", "YES", "no", "on", "off",
            "OFF", "y", "n",
        ] {
            for extra in ["", "s", "e", "E", "S", "ss", "_1", " x", ".5"] {
                texts.push(format!("{word}{extra}"));
                texts.push(format!("{extra}{word}"));
            }
        }
        texts.extend(
            [
                "number",
                "outputs",
                "offset",
                "Normal",
                "python step.py",
                "type",
            ]
            .map(String::from),
        );
        for t in texts {
            assert_eq!(is_ambiguous(&t), resolves_to_non_string(&t), "{t:?}");
            assert_eq!(resolve_plain(&t), resolve_each_way(&t), "{t:?}");
        }
    }
}
