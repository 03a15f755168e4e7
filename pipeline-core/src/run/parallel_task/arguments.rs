//! A parallel task's `program_arguments` as Azure ML's parallel runtime splits them: no shell
//! reads them there. White space separates arguments, except inside double quotes, which keep
//! their text together and stay in it; single quotes and backslashes are ordinary characters
//! (azure-sdk-for-python#32766: `--arg 'a b'` arrives as `--arg`, `'a`, `b'`; `--arg "a b"` as
//! `--arg`, `"a b"`).

/// The arguments in `text`.
pub(super) fn split(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                word.push(c);
                in_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn as_azure_mls_parallel_runtime_splits_them() {
        // The three cases of azure-sdk-for-python#32766, as Azure ML parsed them.
        assert_eq!(
            split("--arg 'this is the value'"),
            ["--arg", "'this", "is", "the", "value'"]
        );
        assert_eq!(
            split("--arg \"this is the value\""),
            ["--arg", "\"this is the value\""]
        );
        assert_eq!(
            split("--arg this\\ is\\ the\\ value"),
            ["--arg", "this\\", "is\\", "the\\", "value"]
        );
        assert_eq!(split("  --a  1\n--b\t2 "), ["--a", "1", "--b", "2"]);
        assert!(split("").is_empty());
    }
}
