//! Stored files as HTTP responses: streamed from disk in chunks, never read whole into
//! memory, with single byte-range requests (RFC 9110, section 14) so that downloads can be
//! resumed and viewers can fetch part of a document. The files are stored under their
//! SHA-256 and never change, so that hash is a strong `ETag`, which `If-Range` compares.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use crate::error::{AppError, AppResult};

/// Bytes read from disk per chunk of the response body.
const CHUNK: usize = 64 * 1024;

/// What a `Range` header asks of a file of a given length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// No usable range: the whole file (a multi-range or malformed header is ignored, as
    /// RFC 9110 allows).
    Whole,
    /// Bytes `start..=end`, both within the file.
    Part { start: u64, end: u64 },
    /// A well-formed range that lies outside the file.
    Unsatisfiable,
}

/// Reads one `bytes=` range: `a-b`, `a-` (to the end) or `-n` (the last n bytes).
pub fn wanted(range: &str, len: u64) -> Wanted {
    let Some((unit, spec)) = range.trim().split_once('=') else {
        return Wanted::Whole;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") || spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Wanted::Whole;
    };
    let number = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        return match number(last) {
            None => Wanted::Whole,
            Some(0) => Wanted::Unsatisfiable,
            Some(_) if len == 0 => Wanted::Unsatisfiable,
            Some(n) => Wanted::Part {
                start: len.saturating_sub(n),
                end: len - 1,
            },
        };
    }
    let Some(start) = number(first) else {
        return Wanted::Whole;
    };
    let end = if last.is_empty() {
        u64::MAX
    } else {
        match number(last) {
            Some(end) if end >= start => end,
            // "5-2" or garbage is not a valid range: ignored.
            _ => return Wanted::Whole,
        }
    };
    if start >= len {
        return Wanted::Unsatisfiable;
    }
    Wanted::Part {
        start,
        end: end.min(len - 1),
    }
}

/// The response for a stored file of `len` bytes whose content hash is `sha`: the whole
/// file (200), the asked-for part (206) or 416 when the range lies outside the file.
/// `content_type` is set on the file's bytes only, never on the 416 error body.
pub async fn serve(
    request: &HeaderMap,
    mut file: tokio::fs::File,
    len: u64,
    sha: &str,
    content_type: HeaderValue,
) -> AppResult<Response> {
    let etag = format!("\"{sha}\"");
    // A range applies only while the client's copy is this file: `If-Range` names the ETag
    // it has (a date, or a weak or other tag, means "send it all").
    let range_applies = request
        .get(header::IF_RANGE)
        .is_none_or(|v| v.as_bytes() == etag.as_bytes());
    let wanted = match request.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        Some(range) if range_applies => wanted(range, len),
        _ => Wanted::Whole,
    };
    let (status, start, count, content_range) = match wanted {
        Wanted::Whole => (StatusCode::OK, 0, len, None),
        Wanted::Part { start, end } => (
            StatusCode::PARTIAL_CONTENT,
            start,
            end - start + 1,
            Some(format!("bytes {start}-{end}/{len}")),
        ),
        Wanted::Unsatisfiable => {
            let mut response = AppError::coded(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "range_not_satisfiable",
                format!("the requested range lies outside the file, which has {len} bytes"),
            )
            .into_response();
            let headers = response.headers_mut();
            headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            headers.insert(header::CONTENT_RANGE, value(&format!("bytes */{len}")));
            return Ok(response);
        }
    };
    if start > 0 {
        file.seek(std::io::SeekFrom::Start(start))
            .await
            .map_err(anyhow::Error::from)?;
    }
    let body = Body::from_stream(ReaderStream::with_capacity(file.take(count), CHUNK));
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(count));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::ETAG, value(&etag));
    if let Some(content_range) = content_range {
        headers.insert(header::CONTENT_RANGE, value(&content_range));
    }
    Ok(response)
}

/// Header values built from digits, hex and ASCII punctuation are always valid.
fn value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        let part = |start, end| Wanted::Part { start, end };
        assert_eq!(wanted("bytes=0-9", 100), part(0, 9));
        assert_eq!(wanted("bytes=90-", 100), part(90, 99));
        assert_eq!(wanted("bytes=90-1000", 100), part(90, 99));
        assert_eq!(wanted("bytes=-10", 100), part(90, 99));
        assert_eq!(wanted("bytes=-1000", 100), part(0, 99));
        assert_eq!(wanted("Bytes = 5-5", 100), part(5, 5));
        assert_eq!(wanted("bytes=100-", 100), Wanted::Unsatisfiable);
        assert_eq!(wanted("bytes=-0", 100), Wanted::Unsatisfiable);
        assert_eq!(wanted("bytes=0-", 0), Wanted::Unsatisfiable);
        // Not understood, so ignored: the whole file.
        for ignored in [
            "bytes=0-1,5-6",
            "bytes=5-2",
            "items=0-1",
            "bytes=a-b",
            "bytes=+1-2",
            "bytes",
            "bytes=-",
        ] {
            assert_eq!(wanted(ignored, 100), Wanted::Whole, "{ignored}");
        }
    }
}
