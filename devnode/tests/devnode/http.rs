//! HTTP behaviour (devnode/README.md, "HTTP"): the body limit for every framing (413 + -32007),
//! 204 No Content for notifications, the batch limit.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::common::*;
use devnode::DevnodeConfig;
use serde_json::json;

/// Sends `chunks` × `chunk` bytes of a JSON string as a chunked POST; returns (status, body).
fn post_chunked(node: &devnode::DevnodeHandle, chunks: usize, chunk: usize) -> (u16, String) {
    let mut stream = TcpStream::connect(node.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut reader = stream.try_clone().unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        node.addr()
    );
    let writer = std::thread::spawn(move || -> std::io::Result<()> {
        stream.write_all(head.as_bytes())?;
        let open = br#"{"jsonrpc":"2.0","id":1,"method":"web3_sha3","params":["0x"#;
        stream.write_all(format!("{:x}\r\n", open.len()).as_bytes())?;
        stream.write_all(open)?;
        stream.write_all(b"\r\n")?;
        let data = vec![b'a'; chunk];
        for _ in 0..chunks {
            stream.write_all(format!("{chunk:x}\r\n").as_bytes())?;
            stream.write_all(&data)?;
            stream.write_all(b"\r\n")?;
        }
        let close = br#""]}"#;
        stream.write_all(format!("{:x}\r\n", close.len()).as_bytes())?;
        stream.write_all(close)?;
        stream.write_all(b"\r\n0\r\n\r\n")?;
        Ok(())
    });
    // Read until the full response (headers + Content-Length body) is in.
    let mut buf = Vec::new();
    let mut tmp = [0u8; 8192];
    loop {
        let n = match reader.read(&mut tmp) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        buf.extend_from_slice(&tmp[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let len = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                break;
            }
        }
    }
    let _ = writer.join(); // the server may stop reading (and close) once it has answered
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn a_chunked_body_over_the_limit_gets_413_and_32007() {
    // The default limit (8 MiB) and a 20 MB chunked body, as a client streaming it would send.
    let node = node();
    let (status, body) = post_chunked(&node, 20, 1_000_000);
    assert_eq!(status, 413, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["code"], -32007, "{v}");
    // Under the limit, chunked works.
    let (status, body) = post_chunked(&node, 4, 1000);
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["result"].as_str().unwrap().starts_with("0x"), "{v}");
}

#[tokio::test]
async fn content_length_over_the_limit_gets_the_same_answer() {
    let node = node_with(DevnodeConfig {
        max_request_body: 1024,
        ..Default::default()
    });
    let big = format!("0x{}", "ab".repeat(1024));
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "web3_sha3", "params": [big]});
    let (status, v) = raw(&node, &body.to_string()).await;
    assert_eq!(status, 413);
    assert_eq!(v["error"]["code"], -32007);
}

async fn post(node: &devnode::DevnodeHandle, body: &str) -> (u16, Option<String>, String) {
    let resp = reqwest::Client::new()
        .post(node.url())
        .header("content-type", "application/json")
        .header("origin", "http://example.test")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let cors = resp
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_string());
    (status, cors, resp.text().await.unwrap())
}

#[tokio::test]
async fn notifications_get_204_no_content() {
    let node = node();
    let (status, cors, body) = post(
        &node,
        r#"{"jsonrpc":"2.0","method":"eth_chainId","params":[]}"#,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(body, "");
    assert_eq!(cors.as_deref(), Some("*"), "CORS headers kept");
    // A batch of only notifications is acknowledged the same way.
    let (status, _, body) = post(
        &node,
        r#"[{"jsonrpc":"2.0","method":"eth_chainId"},{"jsonrpc":"2.0","method":"net_version"}]"#,
    )
    .await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(body, "");
    // A call whose result is null is a normal 200 reply.
    let (status, _, body) = post(
        &node,
        &json!({"jsonrpc":"2.0","id":7,"method":"eth_getTransactionReceipt","params":[format!("0x{}", "11".repeat(32))]}).to_string(),
    )
    .await;
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v, json!({"jsonrpc":"2.0","id":7,"result":null}));
    // A mixed batch answers only the calls.
    let (status, _, body) = post(
        &node,
        r#"[{"jsonrpc":"2.0","method":"eth_chainId"},{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}]"#,
    )
    .await;
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v, json!([{"jsonrpc":"2.0","id":1,"result":"0x64aba"}]));
}

#[tokio::test]
async fn batches_are_limited_to_1024_requests() {
    let node = node();
    let batch = |n: usize| {
        serde_json::Value::Array(
            (0..n)
                .map(|i| json!({"jsonrpc":"2.0","id":i,"method":"eth_chainId"}))
                .collect(),
        )
        .to_string()
    };
    let (status, v) = raw(&node, &batch(1024)).await;
    assert_eq!(status, 200);
    assert_eq!(v.as_array().unwrap().len(), 1024);
    let (_, v) = raw(&node, &batch(1025)).await;
    assert_eq!(v["error"]["code"], -32010, "{v}");
    assert_eq!(v["error"]["message"], "The batch request was too large");
    // Configurable (`--max-batch`).
    let small = node_with(DevnodeConfig {
        max_batch_len: 2,
        ..Default::default()
    });
    let (_, v) = raw(&small, &batch(3)).await;
    assert_eq!(v["error"]["code"], -32010, "{v}");
}
