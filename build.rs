//! Turns on `cfg(postgres_tests)` when `TEST_DATABASE_URL` is set, so that the PostgreSQL half
//! of every database test runs; without it the test runner lists that half as ignored, with
//! the reason, instead of reporting a test that ran nothing as passed (tests/api/helpers.rs).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rustc-check-cfg=cfg(redis_tests)");
    println!("cargo::rustc-check-cfg=cfg(replica_tests)");
    println!("cargo::rerun-if-env-changed=TEST_DATABASE_URL");
    println!("cargo::rerun-if-env-changed=TEST_REDIS_URL");
    println!("cargo::rerun-if-env-changed=TEST_REPLICA_URL");
    let set = |name| std::env::var_os(name).is_some_and(|url| !url.is_empty());
    // Likewise the tests of budgets shared through Redis, with `TEST_REDIS_URL`.
    if set("TEST_REDIS_URL") {
        println!("cargo::rustc-cfg=redis_tests");
    }
    // A hot standby of TEST_DATABASE_URL's server (`.ci/run replica` starts one): the read
    // replica tests run only with both set.
    if set("TEST_DATABASE_URL") && set("TEST_REPLICA_URL") {
        println!("cargo::rustc-cfg=replica_tests");
    }
    // Only whether it is set matters here; the tests read the URL itself when they run.
    if std::env::var_os("TEST_DATABASE_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
