//! HTTP behaviour around jsonrpsee's handler (a tower layer inside the CORS layer):
//!
//! * **Body limit for every framing.** jsonrpsee answers a body whose `Content-Length` exceeds the
//!   limit with HTTP 413 and JSON-RPC error -32007, but a chunked body that grows past it fails
//!   as a stream error (HTTP 500, -32603). The layer counts the bytes of every request body and
//!   answers 413 / -32007 for both.
//! * **Notifications** (a request without `id`, or a batch of only notifications) get
//!   `204 No Content` with an empty body, as anvil; jsonrpsee would send `200` with `null`.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use http_body::{Frame, SizeHint};
use http_body_util::BodyExt;
use jsonrpsee::server::http::response;
use jsonrpsee::server::{HttpBody, HttpRequest, HttpResponse};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The layer; `max_body` is the request body limit in bytes.
#[derive(Clone, Copy, Debug)]
pub struct HttpEdgesLayer {
    /// Request body limit in bytes.
    pub max_body: u32,
}

impl<S> tower::Layer<S> for HttpEdgesLayer {
    type Service = HttpEdges<S>;

    fn layer(&self, inner: S) -> HttpEdges<S> {
        HttpEdges {
            inner,
            max_body: self.max_body,
        }
    }
}

/// The service of [`HttpEdgesLayer`].
#[derive(Clone, Debug)]
pub struct HttpEdges<S> {
    inner: S,
    max_body: u32,
}

/// A request body that counts its bytes and fails (flagging it) past the limit.
struct Counted {
    inner: HttpBody,
    seen: u64,
    max: u64,
    exceeded: Arc<AtomicBool>,
}

impl http_body::Body for Counted {
    type Data = <HttpBody as http_body::Body>::Data;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &polled {
            if let Some(data) = frame.data_ref() {
                self.seen += data.len() as u64;
                if self.seen > self.max {
                    self.exceeded.store(true, Ordering::Relaxed);
                    return Poll::Ready(Some(Err("request body exceeds the limit".into())));
                }
            }
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl<S, B> tower::Service<HttpRequest> for HttpEdges<S>
where
    S: tower::Service<HttpRequest, Response = HttpResponse<B>, Error = BoxError>,
    S::Future: Send + 'static,
    B: http_body::Body<Data = <HttpBody as http_body::Body>::Data> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = HttpResponse;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: HttpRequest) -> Self::Future {
        let max = self.max_body;
        let exceeded = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&exceeded);
        let req = req.map(|inner| {
            HttpBody::new(Counted {
                inner,
                seen: 0,
                max: u64::from(max),
                exceeded: flag,
            })
        });
        let fut = self.inner.call(req);
        Box::pin(async move {
            let resp = fut.await?;
            if exceeded.load(Ordering::Relaxed) {
                return Ok(response::too_large(max));
            }
            let (mut parts, body) = resp.into_parts();
            // A notification's (or an all-notification batch's) reply is the bare `null`; every
            // other reply is a JSON-RPC object or array.
            if parts.status == http::StatusCode::OK && body.size_hint().exact() == Some(4) {
                let bytes = body.collect().await.map_err(Into::into)?.to_bytes();
                if bytes.as_ref() == b"null" {
                    parts.status = http::StatusCode::NO_CONTENT;
                    parts.headers.remove(http::header::CONTENT_TYPE);
                    parts.headers.remove(http::header::CONTENT_LENGTH);
                    return Ok(HttpResponse::from_parts(parts, HttpBody::empty()));
                }
                return Ok(HttpResponse::from_parts(
                    parts,
                    HttpBody::from(bytes.to_vec()),
                ));
            }
            Ok(HttpResponse::from_parts(parts, HttpBody::new(body)))
        })
    }
}
