//! Deep zoom: the IIIF Image API 3.0 level-0 tile pyramid of an image and
//! its `info.json`, so any IIIF viewer, and ours, can open a huge scan by
//! fetching only the tiles on screen.

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;
use serde_json::json;

use super::ImageError;
use super::encode;
use super::pixels::{self, Levels};
use super::plan::Plan;
use super::settings::ImageSettings;

/// Writes every tile of `plan` under `folder`, skipping paths a derivative
/// already filled (a whole-image level can coincide with a derivative).
pub fn write(
    levels: &Levels,
    plan: &Plan,
    settings: &ImageSettings,
    folder: &Path,
) -> Result<(), ImageError> {
    let derivative_paths: HashSet<String> = plan
        .derivatives
        .iter()
        .map(|&size| plan.size_path(size, "jpg"))
        .collect();
    plan.tiles()
        .par_iter()
        .filter(|tile| !derivative_paths.contains(&tile.path))
        .try_for_each(|tile| {
            let level = levels
                .at_scale(tile.scale)
                .ok_or(ImageError::MissingLevel { scale: tile.scale })?;
            let pixels = pixels::crop(
                level,
                tile.region.x / tile.scale,
                tile.region.y / tile.scale,
                tile.size.width,
                tile.size.height,
            );
            let jpeg = encode::jpeg(&pixels, settings.quality, false)?;
            super::write_file(folder, &tile.path, &jpeg)
        })
}

/// The image service description (`info.json`) of an image whose service
/// lives at the absolute URL `id`.
pub fn info_json(plan: &Plan, id: &str) -> serde_json::Value {
    let sizes: Vec<serde_json::Value> = plan
        .sizes()
        .iter()
        .map(|s| json!({ "width": s.width, "height": s.height }))
        .collect();
    let mut info = json!({
        "@context": "http://iiif.io/api/image/3/context.json",
        "id": id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level0",
        "width": plan.size.width,
        "height": plan.size.height,
        "sizes": sizes,
    });
    if let (Some(pyramid), Some(map)) = (&plan.pyramid, info.as_object_mut()) {
        map.insert(
            "tiles".into(),
            json!([{
                "width": pyramid.tile_size,
                "height": pyramid.tile_size,
                "scaleFactors": pyramid.scale_factors,
            }]),
        );
    }
    info
}
