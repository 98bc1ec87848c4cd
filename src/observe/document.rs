//! A document as traces may show it (OpenTelemetry's `graphql.document`): its shape with every
//! literal stripped, so that no value a client wrote into it (a name searched for, an ID) is
//! recorded. Variables are never recorded at all.
//!
//! A token scan rather than printing async-graphql's parsed document: the parser keeps no
//! printer for executable documents, and the scan is one pass over text already parsed.

/// The longest sanitised document recorded, in bytes; longer ones end in `…`.
pub const MAX_DOCUMENT: usize = 2048;

/// `query` with string literals replaced by `""`, numbers by `0`, comments dropped and
/// whitespace collapsed; cut at `max` bytes. Names, enum values, booleans, variables and
/// punctuation are kept: they come from the schema and the client's code, not its data.
pub fn sanitise(query: &str, max: usize) -> String {
    let mut out = String::with_capacity(query.len().min(max));
    let mut chars = query.chars().peekable();
    let mut spaced = false;
    while let Some(c) = chars.next() {
        let token: std::borrow::Cow<'static, str> = match c {
            '#' => {
                while chars.next_if(|c| *c != '\n' && *c != '\r').is_some() {}
                spaced = true;
                continue;
            }
            c if c.is_whitespace() || c == ',' || c == '\u{feff}' => {
                spaced = true;
                continue;
            }
            '"' => {
                skip_string(&mut chars);
                "\"\"".into()
            }
            c if c == '-' || c.is_ascii_digit() => {
                let mut previous = c;
                while let Some(c) = chars.next_if(|&c| {
                    c.is_ascii_alphanumeric()
                        || c == '.'
                        || ((c == '+' || c == '-') && matches!(previous, 'e' | 'E'))
                }) {
                    previous = c;
                }
                "0".into()
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut name = String::from(c);
                while let Some(c) = chars.next_if(|c| c.is_ascii_alphanumeric() || *c == '_') {
                    name.push(c);
                }
                name.into()
            }
            c => c.to_string().into(),
        };
        let separator = usize::from(spaced && !out.is_empty());
        if out.len() + separator + token.len() > max {
            out.push('…');
            break;
        }
        if separator == 1 {
            out.push(' ');
        }
        out.push_str(&token);
        spaced = false;
    }
    out
}

/// Skips a string literal whose opening `"` was read: a block string (`"""…"""`, where `\"""`
/// is an escape) or a one-line string with `\` escapes.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    if chars.next_if_eq(&'"').is_some() {
        if chars.next_if_eq(&'"').is_none() {
            return; // `""`: the empty string
        }
        let mut quotes = 0;
        while let Some(c) = chars.next() {
            match c {
                '"' => {
                    quotes += 1;
                    if quotes == 3 {
                        return;
                    }
                }
                '\\' => {
                    quotes = 0;
                    // `\"""` stands for three quotes inside the block.
                    for _ in 0..3 {
                        chars.next_if_eq(&'"');
                    }
                }
                _ => quotes = 0,
            }
        }
        return;
    }
    while let Some(c) = chars.next() {
        match c {
            '"' | '\n' | '\r' => return,
            '\\' => {
                chars.next();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_stripped_and_the_shape_is_kept() {
        let query = r#"
            # who is asked for
            query People($n: Int = 5, $x: String) {
              people(filter: { search: "Hai \"Seila\"" }, first: 10) { nodes { name } }
              events(filter: { kinds: [RAID], from: "2017-01-01" }, first: -1.5e+3) { totalCount }
              block: node(id: """a "" b \""" c""") { id }
            }"#;
        let shown = sanitise(query, MAX_DOCUMENT);
        assert_eq!(
            shown,
            r#"query People($n: Int = 0 $x: String) { people(filter: { search: "" } first: 0) { nodes { name } } events(filter: { kinds: [RAID] from: "" } first: 0) { totalCount } block: node(id: "") { id } }"#
        );
        for secret in ["Seila", "2017", "10", "1.5", "who", " a ", " c"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[test]
    fn a_long_document_is_cut_on_a_token() {
        let query = format!("{{ {} }}", "events { totalCount } ".repeat(500));
        let shown = sanitise(&query, 64);
        assert!(shown.len() <= 64 + '…'.len_utf8(), "{shown}");
        assert!(shown.ends_with('…'), "{shown}");
        assert!(shown.starts_with("{ events { totalCount }"), "{shown}");
    }
}
