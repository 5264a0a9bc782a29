//! Uploads: logos, images and evidence documents. The type is read from the bytes, never
//! from the name; the name's extension must agree. Images are decoded and re-encoded to
//! sized PNG or JPEG (dropping anything else the file carried); PDFs are kept. Files are
//! stored under `data_dir/uploads/` by SHA-256 and served only to people who may see them.

use std::io::Cursor;
use std::path::PathBuf;

use axum::http::StatusCode;
use chrono::Utc;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::Role;
use crate::entities::{event, factsheet, person, upload};
use crate::error::{AppError, AppResult};
use crate::events::access;
use crate::state::AppState;
use crate::upload_gate::Admitted;

pub use crate::domain::UploadPurpose as Purpose;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UploadView {
    pub id: Uuid,
    pub purpose: Purpose,
    pub url: String,
    pub thumb_url: Option<String>,
    pub content_type: String,
    pub filename: String,
    pub size: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
}

pub fn view(row: &upload::Model) -> UploadView {
    UploadView {
        id: row.id,
        purpose: row.purpose,
        url: format!("/api/files/{}", row.id),
        thumb_url: row
            .thumb_sha256
            .as_ref()
            .map(|_| format!("/api/files/{}?variant=thumb", row.id)),
        content_type: row.content_type.clone(),
        filename: row.filename.clone(),
        size: row.size_bytes,
        width: row.width,
        height: row.height,
    }
}

/// What the bytes are, by their signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Pdf,
}

impl Kind {
    fn sniff(bytes: &[u8]) -> Option<Kind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Kind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Kind::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Kind::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Kind::Webp)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Kind::Pdf)
        } else {
            None
        }
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            Kind::Png => &["png"],
            Kind::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            Kind::Gif => &["gif"],
            Kind::Webp => &["webp"],
            Kind::Pdf => &["pdf"],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Png => "PNG",
            Kind::Jpeg => "JPEG",
            Kind::Gif => "GIF",
            Kind::Webp => "WebP",
            Kind::Pdf => "PDF",
        }
    }

    fn image_format(self) -> Option<ImageFormat> {
        match self {
            Kind::Png => Some(ImageFormat::Png),
            Kind::Jpeg => Some(ImageFormat::Jpeg),
            Kind::Gif => Some(ImageFormat::Gif),
            Kind::Webp => Some(ImageFormat::WebP),
            Kind::Pdf => None,
        }
    }
}

fn invalid_name(message: &str) -> AppError {
    AppError::Coded {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "upload_filename_invalid",
        message: message.into(),
        details: Some(serde_json::json!({ "fields": [{
            "field": "filename", "code": "upload_filename_invalid", "message": message
        }]})),
    }
}

/// Checks a file name and returns it with its lower-case extension (if any). Names that
/// could reach outside a folder, hide their real extension or confuse a terminal or a
/// browser are refused rather than repaired, so nobody is surprised by what is stored.
pub fn check_filename(raw: &str) -> AppResult<(String, Option<String>)> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(invalid_name("the file needs a name"));
    }
    if name.chars().count() > crate::bounds::FILENAME_MAX {
        return Err(invalid_name(&format!(
            "file names may be at most {} characters",
            crate::bounds::FILENAME_MAX
        )));
    }
    if name.contains(['/', '\\']) || name.contains("..") {
        return Err(invalid_name(
            "the file name may not contain folder parts (/, \\ or ..)",
        ));
    }
    let hostile = |c: char| {
        c.is_control()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
            || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*')
    };
    if name.chars().any(hostile) {
        return Err(invalid_name(
            "the file name contains control, direction or reserved characters",
        ));
    }
    if name.starts_with('.') {
        return Err(invalid_name("the file name may not start with a dot"));
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .filter(|ext| !ext.is_empty());
    Ok((name.to_string(), extension))
}

fn too_large(limit: usize) -> AppError {
    AppError::coded(
        StatusCode::PAYLOAD_TOO_LARGE,
        "upload_too_large",
        format!(
            "this file is too large: at most {} MiB",
            limit.div_ceil(1024 * 1024)
        ),
    )
}

/// The largest body the upload endpoint reads before refusing.
pub fn body_limit(state: &AppState) -> usize {
    state
        .settings
        .uploads
        .max_image_bytes
        .max(state.settings.uploads.max_document_bytes)
}

pub fn too_large_for(state: &AppState) -> AppError {
    too_large(body_limit(state))
}

/// A processed file ready to store: the main bytes and, for images, a thumbnail.
struct Processed {
    content_type: &'static str,
    extension: &'static str,
    bytes: Vec<u8>,
    thumb: Option<Vec<u8>>,
    width: Option<u32>,
    height: Option<u32>,
}

fn decode(bytes: &[u8], format: ImageFormat, max_pixels: u64) -> AppResult<DynamicImage> {
    let unreadable = |_| {
        AppError::coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "upload_unreadable",
            "this image could not be read; is the file complete?",
        )
    };
    let (w, h) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(unreadable)?;
    // The header is checked before a single pixel is decoded: a small file can claim a
    // bitmap of gigabytes.
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(AppError::Coded {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "upload_too_large",
            message: format!(
                "this image is {w} x {h} pixels ({:.1} megapixels); at most {:.1} megapixels are accepted, so make it smaller and upload it again",
                (u64::from(w) * u64::from(h)) as f64 / 1e6,
                max_pixels as f64 / 1e6
            ),
            details: Some(serde_json::json!({
                "width": w, "height": h, "max_pixels": max_pixels
            })),
        });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    // 8 bytes per pixel (16-bit RGBA) is the largest bitmap any accepted format decodes to.
    limits.max_alloc = Some(max_pixels.saturating_mul(8).max(64 * 1024 * 1024));
    reader.limits(limits);
    reader.decode().map_err(unreadable)
}

/// The image scaled to fit `max` x `max`. Shrinking uses `thumbnail`, which averages the
/// source pixels straight into the result: a resampling filter would first build a
/// floating-point copy as tall as the result and as wide as the source (150 MB for a
/// 6000 px image).
fn within(image: &DynamicImage, max: u32) -> DynamicImage {
    if image.width() > max || image.height() > max {
        image.thumbnail(max, max)
    } else {
        image.clone()
    }
}

fn png(image: &DynamicImage) -> AppResult<Vec<u8>> {
    let mut out = Vec::new();
    image
        .to_rgba8()
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(anyhow::Error::from)?;
    Ok(out)
}

/// JPEG has no transparency: transparent parts become white.
fn jpeg(image: &DynamicImage) -> AppResult<Vec<u8>> {
    let rgba = image.to_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (x, y, p) in rgba.enumerate_pixels() {
        let a = u16::from(p[3]);
        let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
        rgb.put_pixel(x, y, image::Rgb([mix(p[0]), mix(p[1]), mix(p[2])]));
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&rgb)
        .map_err(anyhow::Error::from)?;
    Ok(out)
}

fn process(purpose: Purpose, kind: Kind, bytes: &[u8], max_pixels: u64) -> AppResult<Processed> {
    let Some(format) = kind.image_format() else {
        return Ok(Processed {
            content_type: "application/pdf",
            extension: "pdf",
            bytes: bytes.to_vec(),
            thumb: None,
            width: None,
            height: None,
        });
    };
    let (max, thumb_max) = if purpose == Purpose::Logo {
        (512, 200)
    } else {
        (1600, 400)
    };
    // The full-size bitmap is dropped as soon as the shown size exists.
    let shown = within(&decode(bytes, format, max_pixels)?, max);
    let small = within(&shown, thumb_max);
    let (main, thumb, content_type, extension) = if purpose == Purpose::Logo {
        (png(&shown)?, png(&small)?, "image/png", "png")
    } else {
        (jpeg(&shown)?, jpeg(&small)?, "image/jpeg", "jpg")
    };
    let (width, height) = (shown.width(), shown.height());
    Ok(Processed {
        content_type,
        extension,
        bytes: main,
        thumb: Some(thumb),
        width: Some(width),
        height: Some(height),
    })
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn path_for(state: &AppState, sha: &str) -> PathBuf {
    state
        .settings
        .data_dir
        .join("uploads")
        .join(&sha[..2])
        .join(sha)
}

/// Writes the bytes under their hash unless that file is already there; the write goes to
/// a temporary name first so a reader never sees half a file.
async fn store(state: &AppState, bytes: &[u8]) -> AppResult<String> {
    let sha = sha256(bytes);
    let path = path_for(state, &sha);
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(sha);
    }
    let dir = path.parent().map(PathBuf::from).unwrap_or_default();
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(anyhow::Error::from)?;
    let temporary = dir.join(format!(".{sha}.{}", Uuid::now_v7()));
    tokio::fs::write(&temporary, bytes)
        .await
        .map_err(anyhow::Error::from)?;
    tokio::fs::rename(&temporary, &path)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(sha)
}

/// Receives an upload for a factsheet of the uploader's organisation (suppliers) or for the
/// event (organisers).
pub async fn receive(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    purpose: Purpose,
    filename: &str,
    bytes: &[u8],
    _admitted: Admitted,
) -> AppResult<UploadView> {
    let access = access::participant(&state.db, by, event_id).await?;
    let supplier = access.role == Some(Role::Supplier) && by.organisation_id.is_some();
    if !access.is_organiser() && !supplier {
        return Err(AppError::Forbidden(
            "only suppliers of the event with an organisation, and organisers, may upload files"
                .into(),
        ));
    }
    let (name, extension) = check_filename(filename)?;
    let limits = &state.settings.uploads;
    let limit = match purpose {
        Purpose::Document => limits.max_document_bytes,
        _ => limits.max_image_bytes,
    };
    if bytes.len() > limit {
        return Err(too_large(limit));
    }
    if bytes.is_empty() {
        return Err(AppError::coded(
            StatusCode::UNPROCESSABLE_ENTITY,
            "upload_empty",
            "the file is empty",
        ));
    }
    let accepted: &[Kind] = match purpose {
        Purpose::Document => &[Kind::Pdf],
        _ => &[Kind::Png, Kind::Jpeg, Kind::Gif, Kind::Webp],
    };
    let accepted_names = accepted
        .iter()
        .map(|k| k.name())
        .collect::<Vec<_>>()
        .join(", ");
    let kind = Kind::sniff(bytes)
        .filter(|k| accepted.contains(k))
        .ok_or_else(|| {
            AppError::coded(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_upload_type",
                format!(
                    "a {} must be one of: {accepted_names} (judged by the content, not the name)",
                    purpose.as_str()
                ),
            )
        })?;
    if let Some(ext) = &extension
        && !kind.extensions().contains(&ext.as_str())
    {
        return Err(AppError::Coded {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "upload_type_mismatch",
            message: format!(
                "the name says .{ext} but the content is {}; rename the file or upload the right one",
                kind.name()
            ),
            details: Some(serde_json::json!({ "fields": [{
                "field": "filename", "code": "upload_type_mismatch",
                "message": format!("the content is {}", kind.name())
            }]})),
        });
    }
    let owned = bytes.to_vec();
    let max_pixels = limits.max_image_pixels;
    // Documents are stored as they are; only images take a decoding turn. The turn moves
    // into the blocking task, so it is held until decoding really ends, even when the
    // client goes away meanwhile.
    let turn = match kind {
        Kind::Pdf => None,
        _ => Some(state.uploads.decode_turn().await?),
    };
    let processed = tokio::task::spawn_blocking(move || {
        let processed = process(purpose, kind, &owned, max_pixels);
        drop(turn);
        processed
    })
    .await
    .map_err(anyhow::Error::from)??;
    let sha = store(state, &processed.bytes).await?;
    let thumb_sha = match &processed.thumb {
        Some(thumb) => Some(store(state, thumb).await?),
        None => None,
    };
    let stem = match &extension {
        Some(ext) => &name[..name.len() - ext.len() - 1],
        None => name.as_str(),
    };
    let row = upload::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        organisation_id: Set(if supplier { by.organisation_id } else { None }),
        uploaded_by: Set(by.id),
        purpose: Set(purpose),
        content_type: Set(processed.content_type.into()),
        filename: Set(format!("{stem}.{}", processed.extension)),
        size_bytes: Set(processed.bytes.len() as i64),
        sha256: Set(sha),
        thumb_sha256: Set(thumb_sha),
        width: Set(processed.width.map(|w| w as i32)),
        height: Set(processed.height.map(|h| h as i32)),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await?;
    tracing::info!(upload = %row.id, purpose = purpose.as_str(), size = row.size_bytes, "file uploaded");
    Ok(view(&row))
}

/// May this viewer (or an anonymous visitor) fetch the file?
async fn may_read(
    state: &AppState,
    viewer: Option<&person::Model>,
    row: &upload::Model,
) -> AppResult<bool> {
    let event = event::Entity::find_by_id(row.event_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("file"))?;
    let mut participant = false;
    if let Some(person) = viewer {
        if person.is_admin {
            return Ok(true);
        }
        let membership = access::active_participation(&state.db, row.event_id, person.id).await?;
        if let Some(membership) = membership {
            participant = true;
            if membership.role == Role::Organiser
                || (row.organisation_id.is_some() && row.organisation_id == person.organisation_id)
            {
                return Ok(true);
            }
        }
    }
    if !participant && !event.catalogue_public {
        return Ok(false);
    }
    // Readable by the catalogue's readers once a published factsheet shows it.
    let Some(organisation) = row.organisation_id else {
        return Ok(false);
    };
    let published = factsheet::Entity::find()
        .filter(factsheet::Column::EventId.eq(row.event_id))
        .filter(factsheet::Column::OrganisationId.eq(organisation))
        .filter(factsheet::Column::PublishedAt.is_not_null())
        .all(&state.db)
        .await?;
    for sheet in &published {
        if super::service::published_content(sheet)?
            .is_some_and(|c| c.upload_ids().contains(&row.id))
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A stored file opened for reading, for someone allowed to see it.
pub struct StoredFile {
    pub row: upload::Model,
    pub file: tokio::fs::File,
    pub len: u64,
    /// The content hash it is stored under (the original's or the thumbnail's).
    pub sha256: String,
}

/// The file (or its thumbnail) opened for streaming, for someone allowed to see it (others
/// get "not found").
pub async fn open(
    state: &AppState,
    viewer: Option<&person::Model>,
    upload_id: Uuid,
    thumb: bool,
) -> AppResult<StoredFile> {
    let row = upload::Entity::find_by_id(upload_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("file"))?;
    if !may_read(state, viewer, &row).await? {
        return Err(AppError::NotFound("file"));
    }
    let sha = match (thumb, &row.thumb_sha256) {
        (true, Some(sha)) => sha.clone(),
        _ => row.sha256.clone(),
    };
    let missing = |err: std::io::Error| {
        tracing::error!(upload = %row.id, error = %err, "an uploaded file is missing from the data directory");
        AppError::NotFound("file")
    };
    let file = tokio::fs::File::open(path_for(state, &sha))
        .await
        .map_err(missing)?;
    let len = file.metadata().await.map_err(missing)?.len();
    Ok(StoredFile {
        row,
        file,
        len,
        sha256: sha,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_refused() {
        for name in [
            "../etc/passwd",
            "a\\b.pdf",
            ".htaccess",
            "report\u{202E}fdp.exe",
            "a\u{0}.pdf",
            "",
            "con:.pdf",
        ] {
            assert!(check_filename(name).is_err(), "{name:?}");
        }
        assert_eq!(
            check_filename(" Jaarverslag 2025.PDF ").unwrap(),
            ("Jaarverslag 2025.PDF".to_string(), Some("pdf".to_string()))
        );
    }

    #[test]
    fn content_decides_the_type() {
        assert_eq!(Kind::sniff(b"%PDF-1.7 ..."), Some(Kind::Pdf));
        assert_eq!(Kind::sniff(b"<html><script>"), None);
        assert_eq!(Kind::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Kind::Webp));
    }
}
