//! File uploads (the GraphQL multipart request spec): the router takes the files
//! and forwards them, as a multipart request, to the subgraph whose field takes
//! them.

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use super::{Served, code, send, serve};

fn file(text: &str, name: &str, mime: &str) -> Part {
    Part::text(text.to_owned())
        .file_name(name.to_owned())
        .mime_str(mime)
        .expect("a media type")
}

fn upload_form(operations: Value, map: Value, files: Vec<(&str, Part)>) -> Form {
    let mut form = Form::new()
        .text("operations", operations.to_string())
        .text("map", map.to_string());
    for (name, part) in files {
        form = form.part(name.to_owned(), part);
    }
    form
}

/// Posts an upload the way a script does (with the preflight header).
async fn upload(served: &Served, form: Form) -> (u16, Value) {
    send(
        served
            .http
            .post(&served.url)
            .header("apollo-require-preflight", "true")
            .multipart(form),
    )
    .await
}

#[tokio::test]
async fn a_file_reaches_the_subgraph_that_takes_it() {
    let served = serve(None, |_| {}).await;
    let form = upload_form(
        json!({
            "query": "mutation ($file: Upload!) { upload(file: $file) { name contentType text } }",
            "variables": { "file": null }
        }),
        json!({ "0": ["variables.file"] }),
        vec![("0", file("KTP scan", "ktp.txt", "text/plain"))],
    );
    let (status, body) = upload(&served, form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({ "data": { "upload": { "name": "ktp.txt", "contentType": "text/plain", "text": "KTP scan" } } })
    );
    let seen = served.seen();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0]
            .content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("multipart/form-data")),
        "forwarded as multipart: {:?}",
        seen[0].content_type
    );
}

#[tokio::test]
async fn several_files_in_a_list_keep_their_order_and_other_variables() {
    let served = serve(None, |_| {}).await;
    let form = upload_form(
        json!({
            "query": "mutation ($label: String!, $files: [Upload!]!) { uploadMany(label: $label, files: $files) { name text } }",
            "variables": { "label": "kyc", "files": [null, null] }
        }),
        json!({ "a": ["variables.files.1"], "b": ["variables.files.0"] }),
        vec![
            ("a", file("second", "2.txt", "text/plain")),
            ("b", file("first", "1.txt", "text/plain")),
        ],
    );
    let (status, body) = upload(&served, form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["uploadMany"],
        json!([
            { "name": "kyc/1.txt", "text": "first" },
            { "name": "kyc/2.txt", "text": "second" }
        ])
    );
}

#[tokio::test]
async fn malformed_upload_requests_are_400_and_call_nothing() {
    let served = serve(None, |_| {}).await;
    let operations = json!({
        "query": "mutation ($file: Upload!) { upload(file: $file) { name } }",
        "variables": { "file": null }
    });
    let cases = [
        // The map names a part that was not sent.
        upload_form(
            operations.clone(),
            json!({ "0": ["variables.file"] }),
            vec![],
        ),
        // A path outside the variables.
        upload_form(
            operations.clone(),
            json!({ "0": ["query"] }),
            vec![("0", file("x", "x.txt", "text/plain"))],
        ),
        // A path to a variable that is not null (or not there).
        upload_form(
            json!({
                "query": "mutation ($file: Upload!) { upload(file: $file) { name } }",
                "variables": { "file": "already here" }
            }),
            json!({ "0": ["variables.file"] }),
            vec![("0", file("x", "x.txt", "text/plain"))],
        ),
        upload_form(
            operations.clone(),
            json!({ "0": ["variables.other"] }),
            vec![("0", file("x", "x.txt", "text/plain"))],
        ),
        // No map at all.
        Form::new().text("operations", operations.to_string()),
        // Operations that are not JSON.
        upload_form(json!("{"), json!({}), vec![]).text("operations", "{"),
    ];
    for form in cases {
        let (status, body) = upload(&served, form).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(code(&body), "BAD_REQUEST", "{body}");
    }
    assert!(served.seen().is_empty());
}

#[tokio::test]
async fn an_upload_without_a_preflight_header_is_refused_as_csrf() {
    let served = serve(None, |_| {}).await;
    let form = upload_form(
        json!({
            "query": "mutation ($file: Upload!) { upload(file: $file) { name } }",
            "variables": { "file": null }
        }),
        json!({ "0": ["variables.file"] }),
        vec![("0", file("x", "x.txt", "text/plain"))],
    );
    let (status, body) = send(served.http.post(&served.url).multipart(form)).await;
    assert_eq!(status, 400);
    assert_eq!(code(&body), "CSRF_PREVENTION");
    assert!(served.seen().is_empty());
}
