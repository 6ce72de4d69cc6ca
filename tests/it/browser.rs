//! `dossier serve` in a real browser: Debian's headless Chromium, driven
//! through chromedriver (WebDriver). It types into the search box, follows
//! the names offered as it types, and reads the pages as they render;
//! screenshots of the pages go to `target/serve-*.png`.
//!
//! Needs `chromium` and `chromedriver` (installed by `.ci/readers`): without
//! them the test says so and passes, except under `CI=true`, where it fails.

use crate::serve::{Server, letter};
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running chromedriver, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver on a free port, or `None` (with a notice) when Chromium
/// is not installed.
fn driver() -> Option<Driver> {
    let installed = |program: &str| {
        Command::new(program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !installed("chromedriver") || !installed("chromium") {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "chromium and chromedriver are missing: run .ci/readers"
        );
        eprintln!(
            "note: skipping the browser test: chromium or chromedriver is not installed (.ci/readers installs them)"
        );
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    Some(Driver { child, port })
}

/// A headless Chromium session through `driver`.
async fn browser(driver: &Driver) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1000"
            ]
        }),
    );
    let started = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            Ok(client) => return client,
            Err(error) if started.elapsed() < Duration::from_secs(20) => {
                let _ = error;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(error) => panic!("chromedriver did not start a session: {error}"),
        }
    }
}

/// Saves a screenshot of the page as `target/serve-NAME.png`.
async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("a screenshot");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("serve-{name}.png"));
    std::fs::write(&path, png).expect("write the screenshot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_searches_reads_an_entity_a_document_and_a_bad_query() {
    let Some(driver) = driver() else {
        return;
    };
    let scratch = letter();
    let server = Server::start(&scratch, &[]);
    let client = browser(&driver).await;

    // Search as you type: the names offered are links.
    client
        .goto(&format!("{}/", server.base))
        .await
        .expect("open /");
    let input = client
        .find(Locator::Css("#q"))
        .await
        .expect("the search box");
    input.send_keys("ola bra").await.expect("type");
    let offer = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#offers a"))
        .await
        .expect("a name offered as one types");
    assert!(offer.text().await.expect("text").starts_with("Ola Brandt"));
    input.send_keys("\u{E007}").await.expect("press Enter");
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_url(&url_like(&server.base, "/search?q=ola+bra"))
        .await
        .expect("the search page");
    let found = client
        .find(Locator::Css("table a[href^='/entity/']"))
        .await
        .expect("an entity found");
    assert_eq!(found.text().await.expect("text"), "Ola Brandt");
    screenshot(&client, "search").await;

    // The entity's page quotes the relation with both names marked.
    found.click().await.expect("follow the entity");
    let quote = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("blockquote"))
        .await
        .expect("a quote");
    let marked = quote
        .find(Locator::Css("mark.object"))
        .await
        .expect("the object marked");
    assert_eq!(marked.text().await.expect("text"), "Russia");
    assert!(
        quote
            .text()
            .await
            .expect("text")
            .contains("Ola Brandt condemned Russia")
    );
    screenshot(&client, "entity").await;

    // Its document, each name highlighted and linked.
    client
        .find(Locator::Css("p.source a"))
        .await
        .expect("the quote's document")
        .click()
        .await
        .expect("follow it");
    let mentions = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("pre.text a.mention.person"))
        .await
        .expect("a person highlighted");
    assert_eq!(mentions.text().await.expect("text"), "Ola Brandt");
    screenshot(&client, "document").await;

    // A name holding markup is shown as text, never run.
    let names = client
        .find_all(Locator::Css("pre.text a.mention.person"))
        .await
        .expect("the people");
    let mut shown = Vec::new();
    for name in names {
        shown.push(name.text().await.expect("text"));
    }
    assert!(
        shown.contains(&"Mira <script>alert(1)</script> Vance".to_string()),
        "{shown:?}"
    );
    let ran: serde_json::Value = client
        .execute(
            "return document.querySelectorAll('main script').length",
            vec![],
        )
        .await
        .expect("run a script");
    assert_eq!(ran, serde_json::json!(0));

    // A bad query shows where it went wrong.
    client
        .goto(&format!("{}/query", server.base))
        .await
        .expect("open /query");
    let area = client
        .find(Locator::Css("textarea[name=query]"))
        .await
        .expect("the query box");
    area.send_keys("?p condemed ?x").await.expect("type");
    client
        .find(Locator::Css("form.query button"))
        .await
        .expect("the button")
        .click()
        .await
        .expect("ask");
    let error = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("pre.error"))
        .await
        .expect("the error");
    let text = error.text().await.expect("text");
    assert!(text.contains("^^^^^^^^"), "{text}");
    assert!(text.contains("did you mean `condemned`?"), "{text}");
    screenshot(&client, "query").await;

    client.close().await.expect("close the browser");
}

/// The URL `base` + `path`.
fn url_like(base: &str, path: &str) -> url::Url {
    url::Url::parse(&format!("{base}{path}")).expect("a URL")
}
