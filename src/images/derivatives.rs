//! Responsive derivatives: each raster image at a few widths, as JPEG and
//! lossy WebP, for `srcset`.

use std::path::Path;

use rayon::prelude::*;

use super::ImageError;
use super::encode;
use super::pixels::Levels;
use super::plan::Plan;
use super::settings::ImageSettings;

/// Writes every derivative of `plan` under `folder` (the image service
/// folder in the cache), in parallel.
pub fn write(
    levels: &Levels,
    plan: &Plan,
    settings: &ImageSettings,
    folder: &Path,
) -> Result<(), ImageError> {
    plan.derivatives.par_iter().try_for_each(|&size| {
        let pixels = levels.resized(size);
        let jpeg = encode::jpeg(&pixels, settings.quality, true)?;
        super::write_file(folder, &plan.size_path(size, "jpg"), &jpeg)?;
        if plan.webp {
            let webp = encode::webp(&pixels, settings.quality)?;
            super::write_file(folder, &plan.size_path(size, "webp"), &webp)?;
        }
        Ok(())
    })
}
