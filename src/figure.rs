//! The one rule that turns a figure's claims into the number the server stands behind.
//!
//! Like ACLED, the server takes the most conservative reading: `value` is the lowest figure a
//! source states as exact or as a lower bound (EXACT, AT_LEAST, MORE_THAN); only when no claim
//! is of that sort does it fall back to the others (ABOUT, NEARLY, AT_MOST). `low` and `high`
//! span every claim, a stated range's upper end included.

use entity::enums::Qualifier;

/// One source's statement, as far as resolution needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimValue {
    pub value: Option<i64>,
    pub high: Option<i64>,
    pub qualifier: Qualifier,
    pub derived: bool,
}

/// A figure's resolved reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub value: Option<i64>,
    pub low: Option<i64>,
    pub high: Option<i64>,
    pub qualifier: Qualifier,
    pub derived: bool,
}

fn is_floor(qualifier: Qualifier) -> bool {
    matches!(
        qualifier,
        Qualifier::Exact | Qualifier::AtLeast | Qualifier::MoreThan
    )
}

/// Resolves a figure from its claims (in any order).
pub fn resolve(claims: &[ClaimValue]) -> Resolved {
    let valued = || claims.iter().filter(|c| c.value.is_some());
    let floors: Vec<&ClaimValue> = valued().filter(|c| is_floor(c.qualifier)).collect();
    let pool: Vec<&ClaimValue> = if floors.is_empty() {
        valued().collect()
    } else {
        floors
    };
    // On equal values an exact statement beats a bound, and a sourced figure beats arithmetic.
    let chosen = pool
        .into_iter()
        .min_by_key(|c| (c.value, c.qualifier != Qualifier::Exact, c.derived));
    Resolved {
        value: chosen.and_then(|c| c.value),
        low: valued().filter_map(|c| c.value).min(),
        high: valued().filter_map(|c| c.high.or(c.value)).max(),
        qualifier: chosen.map_or(Qualifier::Unknown, |c| c.qualifier),
        derived: chosen.is_some_and(|c| c.derived),
    }
}

/// Adds figures about different people (never two claims about the same people): values,
/// lows and highs add up; a part with no value makes the sum a lower bound. The qualifier
/// survives: parts that all share one qualifier keep it; otherwise any approximate part
/// (ABOUT, NEARLY, AT_MOST) makes the sum ABOUT, and any bound makes it AT_LEAST.
pub fn sum(parts: &[Resolved]) -> Resolved {
    let add = |pick: fn(&Resolved) -> Option<i64>| {
        parts
            .iter()
            .filter_map(pick)
            .reduce(|a, b| a.saturating_add(b))
    };
    let inexact: Vec<Qualifier> = parts
        .iter()
        .map(|p| {
            if p.value.is_none() {
                Qualifier::AtLeast
            } else {
                p.qualifier
            }
        })
        .filter(|q| *q != Qualifier::Exact)
        .collect();
    let qualifier = match inexact.first() {
        None => Qualifier::Exact,
        Some(first) if inexact.iter().all(|q| q == first) => *first,
        _ if inexact
            .iter()
            .any(|q| matches!(q, Qualifier::About | Qualifier::Nearly | Qualifier::AtMost)) =>
        {
            Qualifier::About
        }
        _ => Qualifier::AtLeast,
    };
    let value = add(|p| p.value);
    Resolved {
        value,
        low: add(|p| p.low),
        high: add(|p| p.high),
        qualifier: if value.is_none() {
            Qualifier::Unknown
        } else {
            qualifier
        },
        derived: parts.iter().any(|p| p.derived),
    }
}

impl From<&entity::figure::Model> for Resolved {
    fn from(f: &entity::figure::Model) -> Self {
        Resolved {
            value: f.value,
            low: f.low,
            high: f.high,
            qualifier: f.qualifier,
            derived: f.derived,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(value: i64, qualifier: Qualifier) -> ClaimValue {
        ClaimValue {
            value: Some(value),
            high: None,
            qualifier,
            derived: false,
        }
    }

    #[test]
    fn lowest_floor_wins_and_the_span_covers_all_claims() {
        let r = resolve(&[
            claim(200, Qualifier::Exact),
            claim(151, Qualifier::Exact),
            claim(120, Qualifier::About),
        ]);
        assert_eq!(
            (r.value, r.low, r.high, r.qualifier),
            (Some(151), Some(120), Some(200), Qualifier::Exact)
        );
    }

    #[test]
    fn approximations_count_only_when_nothing_firmer_is_stated() {
        let r = resolve(&[ClaimValue {
            high: Some(7000),
            ..claim(6000, Qualifier::About)
        }]);
        assert_eq!(
            (r.value, r.low, r.high, r.qualifier),
            (Some(6000), Some(6000), Some(7000), Qualifier::About)
        );
    }

    #[test]
    fn sums_keep_their_qualifiers() {
        let exact = resolve(&[claim(5, Qualifier::Exact)]);
        let at_least = resolve(&[claim(271, Qualifier::AtLeast)]);
        let about = resolve(&[claim(10, Qualifier::About)]);
        assert_eq!(sum(&[exact, at_least]).qualifier, Qualifier::AtLeast);
        assert_eq!(sum(&[exact, at_least]).value, Some(276));
        assert_eq!(sum(&[at_least, about]).qualifier, Qualifier::About);
        assert_eq!(sum(&[exact, exact]).qualifier, Qualifier::Exact);
    }

    #[test]
    fn no_value_is_unknown() {
        let r = resolve(&[ClaimValue {
            value: None,
            high: None,
            qualifier: Qualifier::Unknown,
            derived: false,
        }]);
        assert_eq!((r.value, r.qualifier), (None, Qualifier::Unknown));
    }
}
