//! Pixels: decoding a scan into RGB and the halved levels of its pyramid.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage, imageops};
use rayon::prelude::*;

use super::plan::Size;

/// Memory one decoded image may take. Scans of 10,000 × 14,000 pixels in
/// 16-bit colour need about 840 MB; the decoder's own default (512 MiB)
/// would refuse them.
const MAX_DECODE_BYTES: u64 = 3 << 30;

/// Decodes an image file's bytes into 8-bit RGB, turned upright by its
/// EXIF orientation, with transparency flattened onto white paper.
pub fn decode(bytes: &[u8]) -> Result<RgbImage, image::ImageError> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    Ok(flatten(image))
}

fn flatten(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (width, height) = rgba.dimensions();
    let mut rgb = Vec::with_capacity(width as usize * height as usize * 3);
    for pixel in rgba.as_raw().chunks_exact(4) {
        let alpha = u32::from(pixel[3]);
        for &c in &pixel[..3] {
            let over_white = u32::from(c) * alpha + 255 * (255 - alpha);
            rgb.push(((over_white + 127) / 255) as u8);
        }
    }
    RgbImage::from_raw(width, height, rgb).unwrap_or_else(|| RgbImage::new(width, height))
}

/// The image at scale factors 1, 2, 4, …: each level the previous one
/// halved by averaging 2 × 2 pixels, which is both fast and a proper
/// low-pass filter for exact halving.
///
/// Levels are kept as `DynamicImage` so that resizing runs through the
/// `image` crate's own compiled code: its generic filters instantiated in
/// this crate would run unoptimized in debug builds and tests.
pub struct Levels {
    levels: Vec<DynamicImage>,
}

impl Levels {
    /// Levels down to the first that is at most `smallest` pixels wide and high.
    pub fn new(full: RgbImage, smallest: u32) -> Levels {
        let mut last = full;
        let mut levels = Vec::new();
        loop {
            if (last.width() <= smallest && last.height() <= smallest)
                || last.width() <= 1
                || last.height() <= 1
            {
                levels.push(DynamicImage::ImageRgb8(last));
                return Levels { levels };
            }
            let next = halve(&last);
            levels.push(DynamicImage::ImageRgb8(last));
            last = next;
        }
    }

    /// The level of scale factor `scale` (a power of two), if it was made.
    pub fn at_scale(&self, scale: u32) -> Option<&RgbImage> {
        let index = scale.checked_ilog2()? as usize;
        self.levels.get(index)?.as_rgb8()
    }

    /// The image resized to `size`, from the smallest level still at least
    /// as large, so the filter works on few pixels yet never enlarges.
    pub fn resized(&self, size: Size) -> RgbImage {
        let fits =
            |level: &&DynamicImage| level.width() >= size.width && level.height() >= size.height;
        let source = self
            .levels
            .iter()
            .rev()
            .find(fits)
            .unwrap_or(&self.levels[0]);
        if source.width() == size.width && source.height() == size.height {
            return source.to_rgb8();
        }
        source
            .resize_exact(size.width, size.height, imageops::FilterType::CatmullRom)
            .into_rgb8()
    }
}

/// Copies the `width` × `height` rectangle at (`x`, `y`) out of `image`,
/// row by row. The rectangle must lie inside the image.
pub fn crop(image: &RgbImage, x: u32, y: u32, width: u32, height: u32) -> RgbImage {
    let source = image.as_raw();
    let row_bytes = image.width() as usize * 3;
    let out_row_bytes = width as usize * 3;
    let mut out = vec![0u8; out_row_bytes * height as usize];
    for (row, out_row) in out.chunks_exact_mut(out_row_bytes.max(1)).enumerate() {
        let start = (y as usize + row) * row_bytes + x as usize * 3;
        if let Some(pixels) = source.get(start..start + out_row_bytes) {
            out_row.copy_from_slice(pixels);
        }
    }
    RgbImage::from_raw(width, height, out).unwrap_or_else(|| RgbImage::new(width, height))
}

/// Halves an image, rounding odd sizes up: an edge pixel without a
/// neighbour is averaged with itself alone. Plain index loops, so that
/// debug builds stay usable.
fn halve(image: &RgbImage) -> RgbImage {
    let (width, height) = (image.width() as usize, image.height() as usize);
    let out_width = width.div_ceil(2);
    let out_height = height.div_ceil(2);
    let source = image.as_raw();
    let row_bytes = width * 3;
    let out_row_bytes = out_width * 3;
    let mut out = vec![0u8; out_row_bytes * out_height];
    out.par_chunks_mut(out_row_bytes.max(1))
        .enumerate()
        .for_each(|(oy, out_row)| {
            let top = &source[oy * 2 * row_bytes..][..row_bytes];
            let bottom_y = (oy * 2 + 1).min(height - 1);
            let bottom = &source[bottom_y * row_bytes..][..row_bytes];
            for ox in 0..out_width {
                let left = ox * 6;
                let right = if ox * 2 + 1 < width { left + 3 } else { left };
                for c in 0..3 {
                    let sum = u16::from(top[left + c])
                        + u16::from(top[right + c])
                        + u16::from(bottom[left + c])
                        + u16::from(bottom[right + c]);
                    out_row[ox * 3 + c] = ((sum + 2) / 4) as u8;
                }
            }
        });
    let (w, h) = (out_width as u32, out_height as u32);
    RgbImage::from_raw(w, h, out).unwrap_or_else(|| RgbImage::new(w, h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn halving_rounds_odd_sizes_up_and_averages() {
        let mut image = RgbImage::new(3, 3);
        image.put_pixel(0, 0, Rgb([100, 0, 0]));
        image.put_pixel(1, 0, Rgb([200, 0, 0]));
        image.put_pixel(2, 2, Rgb([40, 40, 40]));
        let half = halve(&image);
        assert_eq!(half.dimensions(), (2, 2));
        assert_eq!(half.get_pixel(0, 0).0, [75, 0, 0]);
        assert_eq!(half.get_pixel(1, 1).0, [40, 40, 40]);
    }

    #[test]
    fn levels_reach_the_smallest_size_and_resize_never_enlarges() {
        let levels = Levels::new(RgbImage::new(1000, 600), 256);
        assert_eq!(levels.at_scale(4).map(|l| l.dimensions()), Some((250, 150)));
        assert!(levels.at_scale(8).is_none());
        let small = levels.resized(Size {
            width: 320,
            height: 192,
        });
        assert_eq!(small.dimensions(), (320, 192));
    }

    #[test]
    fn crop_copies_the_rectangle() {
        let image = RgbImage::from_fn(5, 4, |x, y| Rgb([x as u8, y as u8, 0]));
        let part = crop(&image, 2, 1, 3, 2);
        assert_eq!(part.dimensions(), (3, 2));
        assert_eq!(part.get_pixel(0, 0).0, [2, 1, 0]);
        assert_eq!(part.get_pixel(2, 1).0, [4, 2, 0]);
    }

    #[test]
    fn transparency_is_flattened_onto_white() {
        let mut rgba = image::RgbaImage::new(1, 1);
        rgba.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
        let flat = flatten(DynamicImage::ImageRgba8(rgba));
        assert_eq!(flat.get_pixel(0, 0).0, [255, 255, 255]);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode(b"\x89PNG\r\n\x1a\nthis is not a png").is_err());
        assert!(decode(&[]).is_err());
    }
}
