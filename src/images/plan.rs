//! What the pipeline makes of one raster image, worked out from its size
//! alone: the derivative sizes, the tile pyramid and every file's path.
//!
//! Being pure arithmetic, the plan lists the files of a cached image
//! without touching its pixels, and tells `check` what a build would
//! publish. Paths follow the IIIF Image API 3.0 canonical form
//! (`{region}/{size}/0/default.jpg`, relative to the image service), chosen
//! so that a level-0 client — our viewer, OpenSeadragon inside Mirador or
//! Universal Viewer — asks for exactly the files that exist.

use super::settings::ImageSettings;

/// A width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

/// A rectangle of the full-resolution image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// One tile: which part of the image, at which scale, and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tile {
    /// The pyramid level's scale factor (1 = full resolution).
    pub scale: u32,
    pub region: Region,
    /// The tile's own pixel size: the region divided by the scale, rounded up.
    pub size: Size,
    /// Relative to the image service folder.
    pub path: String,
}

/// The tile pyramid: square tiles at scale factors 1, 2, 4, … up to the
/// first level that fits in one tile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pyramid {
    pub tile_size: u32,
    pub scale_factors: Vec<u32>,
}

/// Everything made from one image of `size`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub size: Size,
    /// Responsive derivatives, narrowest first; never wider than the image.
    pub derivatives: Vec<Size>,
    /// Whether each derivative also gets a WebP twin.
    pub webp: bool,
    pub pyramid: Option<Pyramid>,
}

impl Plan {
    /// The plan for an image of `size`; `tiled` asks for the pyramid
    /// (item images, when `images.tiles` is on).
    pub fn new(size: Size, settings: &ImageSettings, tiled: bool) -> Plan {
        Plan {
            size,
            derivatives: derivative_sizes(size, &settings.widths),
            webp: settings.webp,
            pyramid: (tiled && settings.tiles).then(|| Pyramid {
                tile_size: settings.tile_size,
                scale_factors: scale_factors(size, settings.tile_size),
            }),
        }
    }

    /// The path of a derivative of `size` in format `extension`.
    pub fn size_path(&self, size: Size, extension: &str) -> String {
        let size_part = if size == self.size {
            "max".to_string()
        } else {
            format!("{},{}", size.width, size.height)
        };
        format!("full/{size_part}/0/default.{extension}")
    }

    /// Every tile of the pyramid, coarsest level last; empty without one.
    pub fn tiles(&self) -> Vec<Tile> {
        let Some(pyramid) = &self.pyramid else {
            return Vec::new();
        };
        let full = self.size;
        let edge = pyramid.tile_size;
        let mut tiles = Vec::new();
        for &scale in &pyramid.scale_factors {
            let level = scaled(full, scale);
            if level.width < edge && level.height < edge {
                // The whole image in one tile: clients ask for it as a size
                // of the full region.
                tiles.push(Tile {
                    scale,
                    region: Region {
                        x: 0,
                        y: 0,
                        width: full.width,
                        height: full.height,
                    },
                    size: level,
                    path: self.size_path(level, "jpg"),
                });
                continue;
            }
            let span = edge * scale;
            for y in (0..full.height).step_by(span as usize) {
                for x in (0..full.width).step_by(span as usize) {
                    let region = Region {
                        x,
                        y,
                        width: span.min(full.width - x),
                        height: span.min(full.height - y),
                    };
                    let size = Size {
                        width: region.width.div_ceil(scale),
                        height: region.height.div_ceil(scale),
                    };
                    tiles.push(Tile {
                        scale,
                        region,
                        size,
                        path: tile_path(full, region, size),
                    });
                }
            }
        }
        tiles
    }

    /// The whole-image sizes a client can fetch (IIIF `sizes`): the
    /// derivatives and the pyramid levels that fit in one tile.
    pub fn sizes(&self) -> Vec<Size> {
        let mut sizes = self.derivatives.clone();
        sizes.extend(
            self.tiles()
                .iter()
                .filter(|t| t.path.starts_with("full/"))
                .map(|t| t.size),
        );
        sizes.sort();
        sizes.dedup();
        sizes
    }

    /// Every file the plan makes, relative to the service folder, each once.
    pub fn files(&self) -> Vec<String> {
        let mut files = Vec::new();
        for &size in &self.derivatives {
            files.push(self.size_path(size, "jpg"));
            if self.webp {
                files.push(self.size_path(size, "webp"));
            }
        }
        files.extend(self.tiles().into_iter().map(|t| t.path));
        files.sort();
        files.dedup();
        files
    }

    /// The largest derivative: what a visitor without JavaScript gets.
    pub fn largest(&self) -> Size {
        self.derivatives.last().copied().unwrap_or(self.size)
    }
}

/// Derivative sizes for the configured widths: those narrower than the
/// image, plus the image's own size when it is narrower than the widest
/// configured width, so small images are shown whole and never enlarged.
fn derivative_sizes(size: Size, widths: &[u32]) -> Vec<Size> {
    let mut sizes: Vec<Size> = widths
        .iter()
        .filter(|&&w| w < size.width)
        .map(|&w| Size {
            width: w,
            height: scale_height(size, w),
        })
        .collect();
    let widest = widths.iter().copied().max().unwrap_or(0);
    if size.width <= widest || sizes.is_empty() {
        sizes.push(size);
    }
    sizes
}

/// The height of a derivative `width` wide, keeping the aspect ratio.
fn scale_height(size: Size, width: u32) -> u32 {
    let height = (u64::from(size.height) * u64::from(width) + u64::from(size.width) / 2)
        / u64::from(size.width.max(1));
    u32::try_from(height).unwrap_or(u32::MAX).max(1)
}

/// Scale factors 1, 2, 4, … until the level fits in one tile.
fn scale_factors(size: Size, edge: u32) -> Vec<u32> {
    let mut factors = vec![1];
    let mut scale = 1u32;
    loop {
        let level = scaled(size, scale);
        if (level.width <= edge && level.height <= edge) || scale >= 1 << 20 {
            return factors;
        }
        scale *= 2;
        factors.push(scale);
    }
}

/// A pyramid level's size: the image divided by `scale`, rounded up.
pub fn scaled(size: Size, scale: u32) -> Size {
    Size {
        width: size.width.div_ceil(scale),
        height: size.height.div_ceil(scale),
    }
}

/// The canonical IIIF path of a tile: `full` for the whole image and `max`
/// for full size, `x,y,w,h` and `w,h` otherwise.
fn tile_path(full: Size, region: Region, size: Size) -> String {
    let region_part = if region.x == 0
        && region.y == 0
        && region.width == full.width
        && region.height == full.height
    {
        "full".to_string()
    } else {
        format!(
            "{},{},{},{}",
            region.x, region.y, region.width, region.height
        )
    };
    let size_part = if size == full {
        "max".to_string()
    } else {
        format!("{},{}", size.width, size.height)
    };
    format!("{region_part}/{size_part}/0/default.jpg")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(width: u32, height: u32) -> Size {
        Size { width, height }
    }

    fn plan(width: u32, height: u32) -> Plan {
        Plan::new(size(width, height), &ImageSettings::default(), true)
    }

    #[test]
    fn derivatives_never_upscale() {
        let big = plan(6000, 8000);
        assert_eq!(
            big.derivatives,
            vec![size(320, 427), size(800, 1067), size(1600, 2133)]
        );
        let medium = plan(1000, 500);
        assert_eq!(
            medium.derivatives,
            vec![size(320, 160), size(800, 400), size(1000, 500)]
        );
        let tiny = plan(100, 80);
        assert_eq!(tiny.derivatives, vec![size(100, 80)]);
        assert_eq!(
            tiny.size_path(size(100, 80), "jpg"),
            "full/max/0/default.jpg"
        );
    }

    #[test]
    fn pyramid_stops_at_one_tile() {
        let p = plan(6000, 8000);
        let pyramid = p.pyramid.as_ref().unwrap();
        assert_eq!(pyramid.scale_factors, vec![1, 2, 4, 8, 16]);
        let tiles = p.tiles();
        let at = |s: u32| tiles.iter().filter(|t| t.scale == s).count();
        assert_eq!(at(1), 12 * 16);
        assert_eq!(at(16), 1);
        let top = tiles.last().unwrap();
        assert_eq!(top.path, "full/375,500/0/default.jpg");
    }

    #[test]
    fn tile_paths_are_canonical_and_cover_the_edges() {
        let p = plan(1100, 700);
        let tiles = p.tiles();
        let first = &tiles[0];
        assert_eq!(first.path, "0,0,512,512/512,512/0/default.jpg");
        let corner = tiles
            .iter()
            .find(|t| t.scale == 1 && t.region.x == 1024 && t.region.y == 512)
            .unwrap();
        assert_eq!(corner.path, "1024,512,76,188/76,188/0/default.jpg");
        let half = tiles
            .iter()
            .find(|t| t.scale == 2 && t.region.x == 1024)
            .unwrap();
        assert_eq!(
            half.region,
            Region {
                x: 1024,
                y: 0,
                width: 76,
                height: 700
            }
        );
        assert_eq!(half.path, "1024,0,76,700/38,350/0/default.jpg");
        // 1100/4 = 275 wide, 700/4 = 175 high: one tile, asked for as a size.
        assert_eq!(tiles.last().unwrap().path, "full/275,175/0/default.jpg");
        // Every full-resolution pixel is in exactly one tile of each level.
        for scale in [1, 2] {
            let area: u64 = tiles
                .iter()
                .filter(|t| t.scale == scale)
                .map(|t| u64::from(t.region.width) * u64::from(t.region.height))
                .sum();
            assert_eq!(area, 1100 * 700);
        }
    }

    #[test]
    fn files_are_listed_once_and_sizes_include_small_levels() {
        let p = plan(1100, 700);
        let files = p.files();
        let mut unique = files.clone();
        unique.dedup();
        assert_eq!(files, unique);
        assert!(files.contains(&"full/800,509/0/default.webp".to_string()));
        assert!(p.sizes().contains(&size(275, 175)));
        assert_eq!(p.largest(), size(1100, 700));
    }

    #[test]
    fn no_pyramid_when_tiles_are_off() {
        let settings = ImageSettings {
            tiles: false,
            ..ImageSettings::default()
        };
        let p = Plan::new(size(4000, 3000), &settings, true);
        assert!(p.pyramid.is_none() && p.tiles().is_empty());
        assert_eq!(p.files().len(), 6);
    }
}
