//! IIIF Presentation API 3.0: one manifest per archive item, so researchers
//! can open the item's scans in the IIIF viewers they already use (Mirador,
//! Universal Viewer) by dragging the link from the item page.
//!
//! The manifest carries the catalogue card (label, metadata, rights, a
//! required statement naming the institution) and a canvas for each raster
//! image, painted by its largest derivative with the static image service
//! for deep zoom. Ids are absolute URLs under `base_url`; the manifest, the
//! images and the services resolve to files of the built site. Canvas and
//! annotation ids are names under the item's URL and need not resolve.

use serde_json::{Value, json};

use super::{Catalog, RasterImage};
use crate::content::{Image, Item};
use crate::site::{Site, urls};

pub const PRESENTATION_CONTEXT: &str = "http://iiif.io/api/presentation/3/context.json";

/// Output path of an item's manifest.
pub fn manifest_path(id: &str) -> String {
    format!("archive/{id}/manifest.json")
}

/// An item's raster images, in catalogue order.
pub fn item_rasters<'a>(item: &'a Item, catalog: &'a Catalog) -> Vec<(&'a Image, &'a RasterImage)> {
    item.images
        .iter()
        .filter_map(|image| {
            catalog
                .raster(&format!("archive/{}/{}", item.id, image.src))
                .map(|raster| (image, raster))
        })
        .collect()
}

/// Whether `item` gets a manifest: it has at least one processed raster image.
pub fn has_manifest(item: &Item, catalog: &Catalog) -> bool {
    !item_rasters(item, catalog).is_empty()
}

/// The manifest of `item`, or none when it has no raster image.
pub fn manifest(site: &Site, item: &Item, catalog: &Catalog) -> Option<Value> {
    let rasters = item_rasters(item, catalog);
    if rasters.is_empty() {
        return None;
    }
    let config = &site.config;
    let absolute = |path: &str| config.permalink(&config.url(path));
    let language = config.language.as_str();
    let text = |value: &str| json!({ language: [value] });
    let entry = |label: &str, value: &str| json!({ "label": text(label), "value": text(value) });

    let id = absolute(&manifest_path(&item.id));
    let item_url = absolute(&urls::item(&item.id));
    let repository = item.repository.as_deref().unwrap_or(&config.institution);
    let rights = item.rights.as_deref().unwrap_or(&config.rights);

    let creators: Vec<String> = item
        .creator
        .iter()
        .map(|c| match site.person(&c.value) {
            Some(person) => person.common.title.clone(),
            None => c.value.clone(),
        })
        .collect();
    let mut metadata = vec![entry("档号", &item.reference)];
    if let Some(date) = &item.date {
        metadata.push(entry("日期", &date.value.display_zh()));
    }
    metadata.push(entry("类别", item.item_type.label()));
    if !creators.is_empty() {
        metadata.push(entry("责任者", &creators.join("、")));
    }
    let optional = [
        ("全宗", item.fonds.as_deref()),
        ("馆藏单位", Some(repository)),
        ("数量/尺寸", item.extent.as_deref()),
        ("语种", item.language.as_deref()),
        ("出处", item.source.as_deref()),
        ("权利", Some(rights)),
    ];
    for (label, value) in optional {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            metadata.push(entry(label, value));
        }
    }

    let canvas_base = item_url.trim_end_matches('/').to_string();
    let canvases: Vec<Value> = rasters
        .iter()
        .enumerate()
        .map(|(n, (image, raster))| canvas(&canvas_base, n + 1, image, raster, &absolute, &text))
        .collect();

    let required = if rights.trim().is_empty() {
        config.institution.clone()
    } else {
        format!("{}。{}", config.institution, rights)
    };
    let mut manifest = json!({
        "@context": PRESENTATION_CONTEXT,
        "id": id,
        "type": "Manifest",
        "label": text(&item.common.title),
        "metadata": metadata,
        "requiredStatement": entry("提供者", required.trim_start_matches('。')),
        "homepage": [{
            "id": item_url,
            "type": "Text",
            "label": text(&item.common.title),
            "format": "text/html",
            "language": [language],
        }],
        "provider": [{
            "id": config.base_url,
            "type": "Agent",
            "label": text(if config.institution.is_empty() { &config.title } else { &config.institution }),
            "homepage": [{
                "id": config.base_url,
                "type": "Text",
                "label": text(&config.title),
                "format": "text/html",
            }],
        }],
        "thumbnail": thumbnail(rasters[0].1, &absolute),
        "items": canvases,
    });
    let Some(map) = manifest.as_object_mut() else {
        return Some(manifest);
    };
    let summary = summary_text(&item.body.text);
    if !summary.is_empty() {
        map.insert("summary".into(), text(&summary));
    }
    if is_rights_uri(rights) {
        map.insert("rights".into(), Value::from(rights.trim()));
    }
    if let Some(date) = &item.date {
        let day = date.value.earliest().iso();
        if day.len() == 10 && day.as_bytes()[4] == b'-' {
            map.insert("navDate".into(), Value::from(format!("{day}T00:00:00Z")));
        }
    }
    Some(manifest)
}

fn canvas(
    base: &str,
    number: usize,
    image: &Image,
    raster: &RasterImage,
    absolute: &dyn Fn(&str) -> String,
    text: &dyn Fn(&str) -> Value,
) -> Value {
    let canvas_id = format!("{base}/canvas/{number}");
    let page_id = format!("{canvas_id}/page");
    let size = raster.size();
    let largest = raster.plan.largest();
    let label = image.caption.as_deref().unwrap_or(&image.alt);
    json!({
        "id": canvas_id,
        "type": "Canvas",
        "label": text(label),
        "width": size.width,
        "height": size.height,
        "thumbnail": thumbnail(raster, absolute),
        "items": [{
            "id": page_id,
            "type": "AnnotationPage",
            "items": [{
                "id": format!("{page_id}/painting"),
                "type": "Annotation",
                "motivation": "painting",
                "target": canvas_id,
                "body": {
                    "id": absolute(&raster.derivative(largest, "jpg")),
                    "type": "Image",
                    "format": "image/jpeg",
                    "width": largest.width,
                    "height": largest.height,
                    "service": [{
                        "id": absolute(&raster.service),
                        "type": "ImageService3",
                        "profile": "level0",
                    }],
                },
            }],
        }],
    })
}

fn thumbnail(raster: &RasterImage, absolute: &dyn Fn(&str) -> String) -> Value {
    let smallest = raster
        .plan
        .derivatives
        .first()
        .copied()
        .unwrap_or(raster.size());
    json!([{
        "id": absolute(&raster.derivative(smallest, "jpg")),
        "type": "Image",
        "format": "image/jpeg",
        "width": smallest.width,
        "height": smallest.height,
    }])
}

/// IIIF `rights` takes only a licence or rights-statement URI; any other
/// rights text goes into the metadata and the required statement.
fn is_rights_uri(rights: &str) -> bool {
    let rights = rights.trim();
    ["creativecommons.org/", "rightsstatements.org/"]
        .iter()
        .any(|host| {
            rights
                .strip_prefix("http://")
                .or_else(|| rights.strip_prefix("https://"))
                .is_some_and(|rest| rest.starts_with(host))
        })
}

/// About 300 characters of the description, cut at a character boundary.
fn summary_text(text: &str) -> String {
    const LIMIT: usize = 300;
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= LIMIT {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(LIMIT).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_licence_uris_are_rights() {
        assert!(is_rights_uri(
            "https://creativecommons.org/licenses/by/4.0/"
        ));
        assert!(is_rights_uri("http://rightsstatements.org/vocab/InC/1.0/"));
        assert!(!is_rights_uri("版权所有，未经许可，不得转载"));
        assert!(!is_rights_uri("https://example.org/licence"));
    }

    #[test]
    fn summaries_are_cut() {
        assert_eq!(summary_text(" a \n b "), "a b");
        assert_eq!(summary_text(&"字".repeat(400)).chars().count(), 301);
    }
}
