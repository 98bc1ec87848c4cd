//! The page-argument rules and cursor checks, without a database.

use super::*;
use crate::service::catalog::AGENCIES_BY_NAME;
use crate::service::event::EventOrder;
use crate::service::flow::FLOWS_BY_DATE;
use crate::service::sort::SortValue;
use chrono::NaiveDate;

fn args(
    first: Option<i32>,
    after: Option<&str>,
    last: Option<i32>,
    before: Option<&str>,
) -> PageArgs {
    PageArgs::new(
        first,
        after.map(String::from),
        last,
        before.map(String::from),
    )
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 5).expect("a date")
}

/// A cursor as `encode_cursor` writes it, at a flow of 5 July 2025.
fn flow_cursor() -> String {
    encode_cursor(
        FLOWS_BY_DATE.name,
        Position {
            key: SortValue::Date(day()),
            id: 7,
        },
    )
}

fn refused(args: PageArgs) -> String {
    match args.page(&FLOWS_BY_DATE) {
        Err(Error::BadUserInput(message)) => message,
        other => panic!("expected BAD_USER_INPUT, got {other:?}"),
    }
}

#[test]
fn no_arguments_read_the_first_default_page() {
    let page = args(None, None, None, None).page(&FLOWS_BY_DATE);
    assert_eq!(
        page.ok(),
        Some(Page {
            limit: DEFAULT_PAGE as u64,
            from: None,
            direction: Direction::Forward,
        })
    );
}

#[test]
fn first_and_after_read_forward_from_the_cursor() {
    let cursor = flow_cursor();
    let page = args(Some(5), Some(&cursor), None, None)
        .page(&FLOWS_BY_DATE)
        .expect("a page");
    assert_eq!(page.limit, 5);
    assert_eq!(page.direction, Direction::Forward);
    assert_eq!(
        page.from,
        Some(Position {
            key: SortValue::Date(day()),
            id: 7
        })
    );
    // `after` alone reads a default page.
    let page = args(None, Some(&cursor), None, None)
        .page(&FLOWS_BY_DATE)
        .expect("a page");
    assert_eq!(page.limit, DEFAULT_PAGE as u64);
}

#[test]
fn last_and_before_read_backward() {
    let cursor = flow_cursor();
    let page = args(None, None, Some(3), Some(&cursor))
        .page(&FLOWS_BY_DATE)
        .expect("a page");
    assert_eq!((page.limit, page.direction), (3, Direction::Backward));
    assert!(page.from.is_some());
    // `last` alone reads the last page; `before` alone a default page before the cursor.
    let page = args(None, None, Some(3), None)
        .page(&FLOWS_BY_DATE)
        .expect("a page");
    assert_eq!((page.from, page.direction), (None, Direction::Backward));
    let page = args(None, None, None, Some(&cursor))
        .page(&FLOWS_BY_DATE)
        .expect("a page");
    assert_eq!(
        (page.limit, page.direction),
        (DEFAULT_PAGE as u64, Direction::Backward)
    );
}

#[test]
fn sizes_are_bounded() {
    assert_eq!(
        args(Some(0), None, None, None)
            .page(&FLOWS_BY_DATE)
            .map(|p| p.limit)
            .ok(),
        Some(0)
    );
    assert_eq!(
        args(Some(MAX_PAGE as i32), None, None, None)
            .page(&FLOWS_BY_DATE)
            .map(|p| p.limit)
            .ok(),
        Some(MAX_PAGE as u64)
    );
    assert!(refused(args(Some(101), None, None, None)).contains("100"));
    assert!(refused(args(None, None, Some(101), None)).contains("100"));
    refused(args(Some(-1), None, None, None));
    refused(args(None, None, Some(-1), None));
    refused(args(Some(i32::MIN), None, None, None));
}

#[test]
fn directions_do_not_mix() {
    let c = flow_cursor();
    refused(args(Some(2), None, Some(2), None));
    refused(args(None, Some(&c), None, Some(&c)));
    refused(args(Some(2), None, None, Some(&c)));
    refused(args(None, Some(&c), Some(2), None));
}

#[test]
fn a_cursor_is_read_only_in_its_own_ordering() {
    let cursor = flow_cursor();
    let message = match args(None, Some(&cursor), None, None).page(&AGENCIES_BY_NAME) {
        Err(Error::BadUserInput(message)) => message,
        other => panic!("expected BAD_USER_INPUT, got {other:?}"),
    };
    assert!(message.contains("another ordering"), "{message}");
    // Events in another order are another ordering too.
    let date = EventOrder::Date.sort(true);
    let at = Position {
        key: SortValue::Date(day()),
        id: 1,
    };
    let events = encode_cursor(date.name, at);
    assert!(args(None, Some(&events), None, None).page(&date).is_ok());
    for other in [
        EventOrder::Date.sort(false),
        EventOrder::PeopleCount.sort(true),
    ] {
        assert!(args(None, Some(&events), None, None).page(&other).is_err());
    }
}

#[test]
fn a_forged_key_of_the_wrong_type_is_refused() {
    let forged = |key: SortValue, name: &str| encode_cursor(name, Position { key, id: 1 });
    // A text key for a date ordering, an int key for a name ordering.
    let text = forged(SortValue::Text("2025-07-05".into()), FLOWS_BY_DATE.name);
    refused(args(None, Some(&text), None, None));
    let number = forged(SortValue::Int(3), AGENCIES_BY_NAME.name);
    assert!(
        args(None, Some(&number), None, None)
            .page(&AGENCIES_BY_NAME)
            .is_err()
    );
    // A null name (names are never null) and a name PostgreSQL cannot hold.
    for key in [SortValue::Null, SortValue::Text("a\0b".into())] {
        let cursor = forged(key, AGENCIES_BY_NAME.name);
        assert!(
            args(None, Some(&cursor), None, None)
                .page(&AGENCIES_BY_NAME)
                .is_err()
        );
    }
    // A null date is a real position (undated rows sort lowest).
    let undated = forged(SortValue::Null, FLOWS_BY_DATE.name);
    assert!(
        args(None, Some(&undated), None, None)
            .page(&FLOWS_BY_DATE)
            .is_ok()
    );
}

#[test]
fn garbage_is_not_a_cursor_and_is_not_echoed_whole() {
    let long = "x".repeat(10_000);
    for garbage in ["", "garbage!", "bm90LWpzb24", "eyJ4IjoxfQ", long.as_str()] {
        let message = refused(args(None, Some(garbage), None, None));
        assert!(message.len() < 200, "short: {message}");
    }
}

#[test]
fn cursors_are_what_they_always_were() {
    // base64url (no padding) of the JSON: clients holding old cursors keep paging.
    assert_eq!(
        flow_cursor(),
        "eyJvIjoiZmxvd3M6REFURTpERVNDIiwia2V5Ijp7IkRhdGUiOiIyMDI1LTA3LTA1In0sImlkIjo3fQ"
    );
}

#[test]
fn page_info_follows_the_direction_read() {
    let (start, end) = (String::from("a"), String::from("b"));
    let forward = Page {
        limit: 2,
        from: None,
        direction: Direction::Forward,
    };
    let info = PageInfo::new(&forward, true, Some(&start), Some(&end));
    assert!(info.has_next_page && !info.has_previous_page);
    assert_eq!(info.start_cursor.as_deref(), Some("a"));
    let backward_from_cursor = Page {
        limit: 2,
        from: Some(Position {
            key: SortValue::Null,
            id: 1,
        }),
        direction: Direction::Backward,
    };
    let info = PageInfo::new(&backward_from_cursor, false, None, None);
    assert!(info.has_next_page && !info.has_previous_page);
    assert_eq!(info.end_cursor, None);
}
