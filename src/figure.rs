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

/// A sum of parts about different people, as far as settling it needs: the sums, and what
/// its inexact parts say. SQL aggregates (`service::totals`) produce the same from a GROUP BY.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub value: Option<i64>,
    pub low: Option<i64>,
    pub high: Option<i64>,
    /// How many different qualifiers the inexact parts have (a part with no number counts as
    /// AT_LEAST), and one of them.
    pub inexact_kinds: usize,
    pub inexact: Option<Qualifier>,
    /// Whether any inexact part is an approximation (ABOUT, NEARLY, AT_MOST).
    pub approximate: bool,
    pub derived: bool,
}

/// What a part with this qualifier (or no number) makes of a sum: None when it is exact.
pub fn inexact(qualifier: Qualifier, has_value: bool) -> Option<Qualifier> {
    match qualifier {
        _ if !has_value => Some(Qualifier::AtLeast),
        Qualifier::Exact => None,
        Qualifier::Unknown => Some(Qualifier::AtLeast),
        q => Some(q),
    }
}

/// Whether a qualifier approximates (the figure may be above or below).
pub fn approximates(qualifier: Qualifier) -> bool {
    matches!(
        qualifier,
        Qualifier::About | Qualifier::Nearly | Qualifier::AtMost
    )
}

/// The one rule for totals. Values, lows and highs add up. The qualifier survives: parts that
/// are all exact give EXACT; inexact parts that all share one qualifier keep it; otherwise any
/// approximation (ABOUT, NEARLY, AT_MOST) makes the sum ABOUT, and bounds make it AT_LEAST. A
/// sum with no number at all is UNKNOWN. It is derived when any part is.
pub fn settle(t: Tally) -> Resolved {
    let qualifier = match (t.value, t.inexact_kinds, t.inexact) {
        (None, _, _) => Qualifier::Unknown,
        (_, 0, _) => Qualifier::Exact,
        (_, 1, Some(only)) => only,
        _ if t.approximate => Qualifier::About,
        _ => Qualifier::AtLeast,
    };
    Resolved {
        value: t.value,
        low: t.low,
        high: t.high,
        qualifier,
        derived: t.derived,
    }
}

/// Adds figures about different people (never two claims about the same people), by
/// `settle`.
pub fn sum(parts: &[Resolved]) -> Resolved {
    let add = |pick: fn(&Resolved) -> Option<i64>| {
        parts
            .iter()
            .filter_map(pick)
            .reduce(|a, b| a.saturating_add(b))
    };
    let mut kinds: Vec<Qualifier> = parts
        .iter()
        .filter_map(|p| inexact(p.qualifier, p.value.is_some()))
        .collect();
    kinds.sort();
    kinds.dedup();
    settle(Tally {
        value: add(|p| p.value),
        low: add(|p| p.low),
        high: add(|p| p.high),
        inexact_kinds: kinds.len(),
        inexact: kinds.first().copied(),
        approximate: kinds.iter().any(|q| approximates(*q)),
        derived: parts.iter().any(|p| p.derived),
    })
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
