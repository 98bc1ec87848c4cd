//! The gazetteer's coordinates through the API: every place of the curated data has them,
//! in range, with a precision no finer than the place (a country is its centroid), and every
//! country has its centroid.

use crate::helpers::{Backend, TestApp};
use serde_json::json;

both!(every_place_and_country_has_coordinates);

async fn every_place_and_country_has_coordinates(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let data = app
        .data(
            "{ locations(first: 100) { nodes { key level coordinates { latitude longitude precision } } }
               countries { code centroid { latitude longitude precision } location { coordinates { latitude } } } }",
            json!({}),
        )
        .await;
    let places = data["locations"]["nodes"].as_array().expect("places");
    assert_eq!(places.len(), 21);
    for place in places {
        let c = &place["coordinates"];
        let (lat, lon) = (c["latitude"].as_f64(), c["longitude"].as_f64());
        assert!(
            lat.is_some_and(|v| (-90.0..=90.0).contains(&v))
                && lon.is_some_and(|v| (-180.0..=180.0).contains(&v)),
            "{place}"
        );
        let rank = |p: &str| {
            ["SITE", "CITY", "PROVINCE", "COUNTRY"]
                .iter()
                .position(|x| *x == p)
        };
        let precision = rank(c["precision"].as_str().expect("a precision"));
        let level = match place["level"].as_str().expect("a level") {
            "SITE" => 0,
            "CITY" | "COMMUNE" | "DISTRICT" => 1,
            "PROVINCE" => 2,
            _ => 3,
        };
        assert!(
            precision >= Some(level),
            "no place is placed more precisely than it is: {place}"
        );
    }
    let poipet = places
        .iter()
        .find(|p| p["key"] == "poipet")
        .expect("Poipet");
    assert_eq!(poipet["coordinates"]["precision"], "CITY");
    assert!((poipet["coordinates"]["latitude"].as_f64().expect("lat") - 13.66).abs() < 0.05);
    let countries = data["countries"].as_array().expect("countries");
    assert_eq!(countries.len(), 10);
    for country in countries {
        assert_eq!(country["centroid"]["precision"], "COUNTRY", "{country}");
        assert_eq!(
            country["centroid"]["latitude"], country["location"]["coordinates"]["latitude"],
            "a country's centroid is its place's coordinates"
        );
    }
}
