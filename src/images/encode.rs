//! Encoding pixels as JPEG (every derivative and tile) and lossy WebP
//! (the smaller twin of each derivative).
//!
//! JPEG goes through `jpeg-encoder` rather than the `image` crate's encoder:
//! measured here on 1600 × 2133 scans it is about 2.5× faster, which the
//! thousands of tiles of a large scan feel. The `image` crate writes only
//! lossless WebP; lossy WebP, 45–75 % smaller than JPEG at the same quality
//! on our demo scans, needs libwebp (the `webp` crate).

use image::RgbImage;

/// Why an image could not be encoded.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("cannot encode JPEG: {0}")]
    Jpeg(#[from] jpeg_encoder::EncodingError),
    #[error("cannot encode WebP: {0}")]
    Webp(String),
    #[error("an image of {width} × {height} pixels is too large for JPEG (at most 65,535 a side)")]
    TooLarge { width: u32, height: u32 },
}

/// JPEG with optimized Huffman tables; `progressive` for derivatives, which
/// then show early on slow links (tiles are small and stay baseline).
pub fn jpeg(image: &RgbImage, quality: u8, progressive: bool) -> Result<Vec<u8>, EncodeError> {
    let too_large = || EncodeError::TooLarge {
        width: image.width(),
        height: image.height(),
    };
    let width = u16::try_from(image.width()).map_err(|_| too_large())?;
    let height = u16::try_from(image.height()).map_err(|_| too_large())?;
    let mut bytes = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, quality);
    encoder.set_optimized_huffman_tables(true);
    encoder.set_progressive(progressive);
    encoder.encode(image.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)?;
    Ok(bytes)
}

/// Lossy WebP at `quality`.
pub fn webp(image: &RgbImage, quality: u8) -> Result<Vec<u8>, EncodeError> {
    let encoder = webp::Encoder::from_rgb(image.as_raw(), image.width(), image.height());
    encoder
        .encode_simple(false, f32::from(quality))
        .map(|memory| memory.to_vec())
        .map_err(|e| EncodeError::Webp(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_formats_decode_back_to_the_same_size() {
        let image = RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 90]));
        let jpg = jpeg(&image, 80, true).unwrap();
        let decoded = image::load_from_memory(&jpg).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (40, 30));
        let webp_bytes = webp(&image, 80).unwrap();
        assert_eq!(&webp_bytes[..4], b"RIFF");
        let decoded = image::load_from_memory(&webp_bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (40, 30));
    }
}
