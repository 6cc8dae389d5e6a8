//! Pixels: decoding a scan into RGB and the halved levels of its pyramid.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, Limits, Rgb, RgbImage, imageops};
use rayon::prelude::*;

use super::plan::{Size, scaled};

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
    let mut rgb = RgbImage::new(rgba.width(), rgba.height());
    for (out, pixel) in rgb.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = pixel.0;
        let over_white = |c: u8| {
            let c = u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a));
            u8::try_from((c + 127) / 255).unwrap_or(u8::MAX)
        };
        *out = Rgb([over_white(r), over_white(g), over_white(b)]);
    }
    rgb
}

/// The image at scale factors 1, 2, 4, …: each level the previous one
/// halved by averaging 2 × 2 pixels, which is both fast and a proper
/// low-pass filter for exact halving.
pub struct Levels {
    levels: Vec<RgbImage>,
}

impl Levels {
    /// Levels down to the first that is at most `smallest` pixels wide and high.
    pub fn new(full: RgbImage, smallest: u32) -> Levels {
        let mut levels = vec![full];
        while let Some(last) = levels.last() {
            if (last.width() <= smallest && last.height() <= smallest)
                || last.width() <= 1
                || last.height() <= 1
            {
                break;
            }
            let next = halve(last);
            levels.push(next);
        }
        Levels { levels }
    }

    /// The level of scale factor `scale` (a power of two), if it was made.
    pub fn at_scale(&self, scale: u32) -> Option<&RgbImage> {
        let index = scale.checked_ilog2()? as usize;
        self.levels.get(index)
    }

    /// The image resized to `size`, from the smallest level still at least
    /// as large, so the filter works on few pixels yet never enlarges.
    pub fn resized(&self, size: Size) -> RgbImage {
        let source = self
            .levels
            .iter()
            .rev()
            .find(|level| level.width() >= size.width && level.height() >= size.height)
            .unwrap_or(&self.levels[0]);
        if source.width() == size.width && source.height() == size.height {
            return source.clone();
        }
        imageops::resize(
            source,
            size.width,
            size.height,
            imageops::FilterType::CatmullRom,
        )
    }
}

/// Halves an image, rounding odd sizes up: an edge pixel without a
/// neighbour is averaged with itself alone.
fn halve(image: &RgbImage) -> RgbImage {
    let (width, height) = (image.width(), image.height());
    let out_size = scaled(Size { width, height }, 2);
    let mut out = RgbImage::new(out_size.width, out_size.height);
    let source = image.as_raw();
    let row_bytes = width as usize * 3;
    let out_row_bytes = out_size.width as usize * 3;
    out.as_mut()
        .par_chunks_mut(out_row_bytes)
        .enumerate()
        .for_each(|(oy, out_row)| {
            let y0 = oy * 2;
            let y1 = (y0 + 1).min(height as usize - 1);
            let rows = [
                &source[y0 * row_bytes..(y0 + 1) * row_bytes],
                &source[y1 * row_bytes..(y1 + 1) * row_bytes],
            ];
            for ox in 0..out_size.width as usize {
                let x0 = ox * 2;
                let x1 = (x0 + 1).min(width as usize - 1);
                for channel in 0..3 {
                    let sum: u32 = rows
                        .iter()
                        .flat_map(|row| [row[x0 * 3 + channel], row[x1 * 3 + channel]])
                        .map(u32::from)
                        .sum();
                    out_row[ox * 3 + channel] = u8::try_from((sum + 2) / 4).unwrap_or(u8::MAX);
                }
            }
        });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
