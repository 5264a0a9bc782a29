//! Upload memory limits (a pixel budget read from the header, a limited number of images
//! decoded at once) and downloads streamed with range requests.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Session, TestApp, upload};

/// A one-colour PNG: a few hundred bytes per megapixel on the wire, 3 bytes per pixel
/// decoded.
fn flat_png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([40, 120, 90]));
    let mut out = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A PDF of `size` bytes whose every byte tells its position, so any part can be checked.
fn numbered_pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((bytes.len()..size).map(|i| (i % 251) as u8));
    bytes
}

async fn get_range(s: &Session, url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = s.client.get(format!("{}{url}", s.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn files_are_served_whole_or_by_byte_range() {
    let app = TestApp::spawn().await;
    let (admin, event) = app.admin_with_event().await;
    let event = event["id"].as_str().unwrap();
    // Larger than one chunk of the streamed body, so the stream is stitched together.
    let pdf = numbered_pdf(200_000);
    let stored: Value = upload(&admin, event, "document", "LCA.pdf", pdf.clone())
        .await
        .json()
        .await
        .unwrap();
    let url = stored["url"].as_str().unwrap();

    // The whole file, with the headers that say ranges may be asked for.
    let whole = get_range(&admin, url, &[]).await;
    assert_eq!(whole.status(), StatusCode::OK);
    let headers = whole.headers().clone();
    assert_eq!(headers["accept-ranges"], "bytes");
    assert_eq!(headers["content-length"], "200000");
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let etag = headers["etag"].to_str().unwrap().to_string();
    assert_eq!(whole.bytes().await.unwrap().as_ref(), pdf.as_slice());

    // The first bytes.
    let first = get_range(&admin, url, &[("range", "bytes=0-99")]).await;
    assert_eq!(first.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(first.headers()["content-range"], "bytes 0-99/200000");
    assert_eq!(first.headers()["content-length"], "100");
    assert!(
        first.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(first.bytes().await.unwrap().as_ref(), &pdf[..100]);

    // A middle part past the first chunk, and an open-ended one.
    let middle = get_range(&admin, url, &[("range", "bytes=70000-140000")]).await;
    assert_eq!(middle.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        middle.bytes().await.unwrap().as_ref(),
        &pdf[70_000..=140_000]
    );
    let tail = get_range(&admin, url, &[("range", "bytes=199990-")]).await;
    assert_eq!(
        tail.headers()["content-range"],
        "bytes 199990-199999/200000"
    );
    assert_eq!(tail.bytes().await.unwrap().as_ref(), &pdf[199_990..]);

    // The last bytes (a suffix range).
    let suffix = get_range(&admin, url, &[("range", "bytes=-500")]).await;
    assert_eq!(suffix.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        suffix.headers()["content-range"],
        "bytes 199500-199999/200000"
    );
    assert_eq!(suffix.bytes().await.unwrap().as_ref(), &pdf[199_500..]);

    // A range beyond the end: 416 with the file's length, in the common error shape.
    let beyond = get_range(&admin, url, &[("range", "bytes=200000-")]).await;
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(beyond.headers()["content-range"], "bytes */200000");
    let body: Value = beyond.json().await.unwrap();
    assert_eq!(body["error"]["code"], "range_not_satisfiable");

    // If-Range: the range holds while the client's copy is this file; otherwise all of it.
    let same = get_range(&admin, url, &[("range", "bytes=0-9"), ("if-range", &etag)]).await;
    assert_eq!(same.status(), StatusCode::PARTIAL_CONTENT);
    let changed = get_range(
        &admin,
        url,
        &[("range", "bytes=0-9"), ("if-range", "\"another-version\"")],
    )
    .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(changed.bytes().await.unwrap().len(), 200_000);
    // Several ranges at once are not served as multipart: the whole file instead.
    let several = get_range(&admin, url, &[("range", "bytes=0-1,5-6")]).await;
    assert_eq!(several.status(), StatusCode::OK);

    // Images keep their type and are shown inline; a range works on them too.
    let logo: Value = upload(&admin, event, "logo", "logo.png", flat_png(300, 100))
        .await
        .json()
        .await
        .unwrap();
    let part = get_range(
        &admin,
        logo["url"].as_str().unwrap(),
        &[("range", "bytes=0-7")],
    )
    .await;
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.headers()["content-type"], "image/png");
    assert!(part.headers().get("content-disposition").is_none());
    assert_eq!(part.bytes().await.unwrap().as_ref(), b"\x89PNG\r\n\x1a\n");

    // Nobody else gets a byte, with or without a range.
    let anonymous = reqwest::Client::new()
        .get(app.url(url))
        .header("range", "bytes=0-9")
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_image_over_the_pixel_budget_is_refused_from_its_header() {
    let app = TestApp::spawn_with(&[("MATCHFLOOR__UPLOADS__MAX_IMAGE_PIXELS", "1000000")]).await;
    let (admin, event) = app.admin_with_event().await;
    let event = event["id"].as_str().unwrap();
    // 2000 x 1000: a small file, but twice the budget once unpacked.
    let response = upload(&admin, event, "image", "wide.png", flat_png(2000, 1000)).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "upload_too_large");
    assert_eq!(
        body["error"]["message"],
        "this image is 2000 x 1000 pixels (2.0 megapixels); at most 1.0 megapixels are accepted, so make it smaller and upload it again"
    );
    assert_eq!(body["error"]["details"]["max_pixels"], 1_000_000);
    // Within the budget it is accepted and scaled down.
    let fits = upload(&admin, event, "image", "fits.png", flat_png(1000, 1000)).await;
    assert_eq!(fits.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn images_wait_for_a_decoding_turn_and_a_full_queue_answers_503() {
    let app = TestApp::spawn_with(&[
        ("MATCHFLOOR__UPLOADS__DECODE_CONCURRENCY", "1"),
        ("MATCHFLOOR__UPLOADS__MAX_WAITING", "1"),
    ])
    .await;
    let (admin, event) = app.admin_with_event().await;
    let event = event["id"].as_str().unwrap().to_string();
    let gate = app.state.uploads.clone();

    // With every turn taken, an image upload waits instead of decoding.
    let held = gate.hold_all_turns().await.unwrap();
    let first = tokio::spawn({
        let (admin, event) = (admin.clone(), event.clone());
        async move { upload(&admin, &event, "image", "one.png", flat_png(800, 600)).await }
    });
    let second = tokio::spawn({
        let (admin, event) = (admin.clone(), event.clone());
        async move { upload(&admin, &event, "image", "two.png", flat_png(800, 600)).await }
    });
    let mut polls = 0;
    while gate.waiting() < 2 {
        polls += 1;
        assert!(polls < 500, "the uploads never queued for a decoding turn");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(!first.is_finished() && !second.is_finished());

    // decode_concurrency + max_waiting = 2 uploads in progress at most: a third is told to
    // come back later.
    let third = upload(&admin, &event, "image", "three.png", flat_png(10, 10)).await;
    assert_eq!(third.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(third.headers()["retry-after"], "5");
    let body: Value = third.json().await.unwrap();
    assert_eq!(body["error"]["code"], "uploads_busy");

    // Once the turn is free, both are decoded one after the other and stored.
    drop(held);
    for task in [first, second] {
        let response = task.await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    assert_eq!(gate.waiting(), 0);
    // Documents are not decoded and never wait for a turn.
    let held = gate.hold_all_turns().await.unwrap();
    let pdf = upload(&admin, &event, "document", "a.pdf", numbered_pdf(1000)).await;
    assert_eq!(pdf.status(), StatusCode::CREATED);
    drop(held);
}
