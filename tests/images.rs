//! The image pipeline on real sites built into temporary folders:
//! derivatives and their sizes, tiles, IIIF manifests, the cache, and how
//! damaged images are reported.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use image::{GenericImageView, Rgb, RgbImage};
use lantai::build::{self, BuildOptions, BuildReport};
use scraper::{Html, Selector};
use serde_json::Value;

const BASE_URL: &str = "https://example.org/exhibitions/";

/// A small site: one item with a 1200 × 900 PNG scan and an SVG drawing,
/// and an exhibit whose section shows the item and a figure.
fn site(extra_yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "site.yaml",
        &format!(
            "title: 测试展厅\nbase_url: {BASE_URL}\ninstitution: 测试档案馆\nrights: 仅供研究\n{extra_yaml}"
        ),
    );
    write(root, "content/_index.md", "---\ntitle: 首页\n---\n欢迎。\n");
    write(
        root,
        "content/archive/t-0001.md",
        "---\nref: T-1\ntitle: 测试信件\ndate: 1921-07-23\ntype: letter\ncreator: 某人\nimages:\n  - src: scan.png\n    alt: 信件扫描\n    caption: 第一页\n  - src: drawing.svg\n    alt: 示意图\n---\n一封测试用的信。\n",
    );
    fs::create_dir_all(root.join("content/archive/t-0001")).unwrap();
    scan(1200, 900)
        .save(root.join("content/archive/t-0001/scan.png"))
        .unwrap();
    write(
        root,
        "content/archive/t-0001/drawing.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><rect width="300" height="200"/></svg>"#,
    );
    write(
        root,
        "content/exhibits/show/_index.md",
        "---\ntitle: 展览\ncover: t-0001\n---\n",
    );
    write(
        root,
        "content/exhibits/show/01-one.md",
        "---\ntitle: 第一单元\n---\n{{ item(id=\"t-0001\") }}\n\n{{ figure(src=\"photo.jpg\", alt=\"照片\") }}\n",
    );
    image::DynamicImage::ImageRgb8(scan(500, 700))
        .save(root.join("content/exhibits/show/photo.jpg"))
        .unwrap();
    dir
}

/// A picture with structure, so encoders have something to do.
fn scan(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let ink = (x / 40 + y / 30) % 3 == 0;
        if ink {
            Rgb([40, 30, 20])
        } else {
            Rgb([236, 226, 204])
        }
    })
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn build_into(root: &Path, out: &Path) -> BuildReport {
    build::build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        ..BuildOptions::default()
    })
}

fn dimensions(path: &Path) -> (u32, u32) {
    image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .dimensions()
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// The output file an absolute URL of the site points at.
fn file_of(out: &Path, url: &str) -> PathBuf {
    let relative = url
        .strip_prefix(BASE_URL)
        .unwrap_or_else(|| panic!("{url} is not under {BASE_URL}"));
    out.join(relative)
}

#[test]
fn derivatives_exist_at_the_right_sizes_and_are_never_upscaled() {
    let dir = site("");
    let out = dir.path().join("public");
    let report = build_into(dir.path(), &out);
    assert!(
        !report.result.diagnostics.has_errors(),
        "{:?}",
        report.result.diagnostics
    );
    let service = out.join("archive/t-0001/iiif/scan.png");
    assert_eq!(
        dimensions(&service.join("full/320,240/0/default.jpg")),
        (320, 240)
    );
    assert_eq!(
        dimensions(&service.join("full/800,600/0/default.webp")),
        (800, 600)
    );
    // 1200 px is narrower than the widest width (1600): the full size is
    // the largest derivative, and nothing wider exists.
    assert_eq!(
        dimensions(&service.join("full/max/0/default.jpg")),
        (1200, 900)
    );
    assert!(!service.join("full/1600,1200").exists());
    // A figure gets derivatives but no tiles.
    let photo = out.join("exhibits/show/iiif/photo.jpg");
    assert_eq!(
        dimensions(&photo.join("full/320,448/0/default.jpg")),
        (320, 448)
    );
    assert!(json(&photo.join("info.json")).get("tiles").is_none());
    assert!(!photo.join("0,0,500,512").exists());
    // SVG passes through untouched.
    assert_eq!(
        fs::read(out.join("archive/t-0001/drawing.svg")).unwrap(),
        fs::read(dir.path().join("content/archive/t-0001/drawing.svg")).unwrap()
    );
    assert!(!out.join("archive/t-0001/iiif/drawing.svg").exists());
}

#[test]
fn tiles_form_a_level_0_pyramid_described_by_info_json() {
    let dir = site("");
    let out = dir.path().join("public");
    build_into(dir.path(), &out);
    let service = out.join("archive/t-0001/iiif/scan.png");
    let info = json(&service.join("info.json"));
    assert_eq!(info["@context"], "http://iiif.io/api/image/3/context.json");
    assert_eq!(info["type"], "ImageService3");
    assert_eq!(info["profile"], "level0");
    assert_eq!(
        info["id"],
        format!("{BASE_URL}archive/t-0001/iiif/scan.png")
    );
    assert_eq!(
        (info["width"].as_u64(), info["height"].as_u64()),
        (Some(1200), Some(900))
    );
    let tiles = &info["tiles"][0];
    assert_eq!(tiles["width"], 512);
    assert_eq!(tiles["scaleFactors"], serde_json::json!([1, 2, 4]));
    // Full resolution: 3 × 2 tiles; the edge tiles are cut to the image.
    assert_eq!(
        dimensions(&service.join("0,0,512,512/512,512/0/default.jpg")),
        (512, 512)
    );
    assert_eq!(
        dimensions(&service.join("1024,512,176,388/176,388/0/default.jpg")),
        (176, 388)
    );
    // Scale 2: 600 × 450, two tiles across.
    assert_eq!(
        dimensions(&service.join("1024,0,176,900/88,450/0/default.jpg")),
        (88, 450)
    );
    // Scale 4: 300 × 225 fits one tile, fetched as a size of the full image.
    assert_eq!(
        dimensions(&service.join("full/300,225/0/default.jpg")),
        (300, 225)
    );
    for size in info["sizes"].as_array().unwrap() {
        let (w, h) = (
            size["width"].as_u64().unwrap(),
            size["height"].as_u64().unwrap(),
        );
        let name = if (w, h) == (1200, 900) {
            "max".to_string()
        } else {
            format!("{w},{h}")
        };
        assert!(
            service.join(format!("full/{name}/0/default.jpg")).is_file(),
            "size {w}×{h} of info.json has no file"
        );
    }
}

#[test]
fn pages_get_responsive_images_with_sizes_and_the_zoom_viewer() {
    let dir = site("");
    let out = dir.path().join("public");
    build_into(dir.path(), &out);
    let page =
        Html::parse_document(&fs::read_to_string(out.join("archive/t-0001/index.html")).unwrap());
    let select = |s: &str| Selector::parse(s).unwrap();
    let images: Vec<_> = page.select(&select("main .item-images img")).collect();
    assert_eq!(images.len(), 2);
    for img in &images {
        let attr = |name: &str| {
            img.value()
                .attr(name)
                .unwrap_or_else(|| panic!("<img> lacks {name}"))
        };
        assert!(attr("width").parse::<u32>().unwrap() > 0);
        assert!(attr("height").parse::<u32>().unwrap() > 0);
    }
    let main = images[0].value();
    assert_eq!(
        main.attr("src"),
        Some("/exhibitions/archive/t-0001/iiif/scan.png/full/800,600/0/default.jpg")
    );
    assert_eq!(
        main.attr("srcset"),
        Some(
            "/exhibitions/archive/t-0001/iiif/scan.png/full/320,240/0/default.jpg 320w, /exhibitions/archive/t-0001/iiif/scan.png/full/800,600/0/default.jpg 800w, /exhibitions/archive/t-0001/iiif/scan.png/full/max/0/default.jpg 1200w"
        )
    );
    assert!(main.attr("sizes").is_some());
    assert_eq!(
        (main.attr("width"), main.attr("height")),
        (Some("800"), Some("600"))
    );
    let webp = page
        .select(&select("main .item-images source[type='image/webp']"))
        .next()
        .unwrap();
    assert!(
        webp.value()
            .attr("srcset")
            .unwrap()
            .contains("default.webp 800w")
    );
    // The SVG keeps its own file and intrinsic size.
    let drawing = images[1].value();
    assert_eq!(
        drawing.attr("src"),
        Some("/exhibitions/archive/t-0001/drawing.svg")
    );
    assert_eq!(
        (drawing.attr("width"), drawing.attr("height")),
        (Some("300"), Some("200"))
    );
    assert_eq!(drawing.attr("loading"), Some("lazy"));
    // Without JavaScript the image links to its largest derivative.
    let zoom = page
        .select(&select("figure[data-zoom-info]"))
        .next()
        .expect("zoomable figure");
    assert_eq!(
        zoom.value().attr("data-zoom-info"),
        Some("/exhibitions/archive/t-0001/iiif/scan.png/info.json")
    );
    let link = zoom.select(&select("a.image-link")).next().unwrap();
    assert_eq!(
        link.value().attr("href"),
        Some("/exhibitions/archive/t-0001/iiif/scan.png/full/max/0/default.jpg")
    );
    let script = page
        .select(&select("script[src$='js/zoom.js']"))
        .next()
        .expect("zoom script");
    assert!(
        script.value().attr("defer").is_some(),
        "the viewer must not block rendering"
    );
    assert!(out.join("js/zoom.js").is_file());
    // The IIIF drag-and-drop link.
    let iiif = page
        .select(&select(".iiif-link a"))
        .next()
        .expect("IIIF link");
    assert_eq!(
        iiif.value().attr("href"),
        Some(
            "/exhibitions/archive/t-0001/manifest.json?manifest=https%3A%2F%2Fexample.org%2Fexhibitions%2Farchive%2Ft-0001%2Fmanifest.json"
        )
    );
    // Cards and figures use derivatives too.
    let section = Html::parse_document(
        &fs::read_to_string(out.join("exhibits/show/one/index.html")).unwrap(),
    );
    let thumb = section.select(&select(".item-figure img")).next().unwrap();
    assert_eq!(
        thumb.value().attr("src"),
        Some("/exhibitions/archive/t-0001/iiif/scan.png/full/320,240/0/default.jpg")
    );
    let figure = section.select(&select(".figure img")).next().unwrap();
    assert_eq!(
        (figure.value().attr("width"), figure.value().attr("height")),
        (Some("500"), Some("700"))
    );
    let cover =
        Html::parse_document(&fs::read_to_string(out.join("exhibits/show/index.html")).unwrap());
    let cover_img = cover.select(&select(".exhibit-cover img")).next().unwrap();
    assert!(cover_img.value().attr("srcset").unwrap().contains("320w"));
}

#[test]
fn manifests_follow_the_presentation_3_shape_and_resolve_inside_the_site() {
    let dir = site("");
    let out = dir.path().join("public");
    build_into(dir.path(), &out);
    let manifest = json(&out.join("archive/t-0001/manifest.json"));
    assert_eq!(
        manifest["@context"],
        "http://iiif.io/api/presentation/3/context.json"
    );
    assert_eq!(manifest["type"], "Manifest");
    assert_eq!(
        manifest["id"],
        format!("{BASE_URL}archive/t-0001/manifest.json")
    );
    assert!(file_of(&out, manifest["id"].as_str().unwrap()).is_file());
    assert_eq!(manifest["label"]["zh-CN"][0], "测试信件");
    let metadata = manifest["metadata"].as_array().unwrap();
    let labels: Vec<&str> = metadata
        .iter()
        .map(|m| m["label"]["zh-CN"][0].as_str().unwrap())
        .collect();
    for label in ["档号", "日期", "类别", "责任者", "馆藏单位", "权利"] {
        assert!(
            labels.contains(&label),
            "metadata lacks {label}: {labels:?}"
        );
    }
    for entry in metadata {
        assert!(entry["value"]["zh-CN"][0].is_string());
    }
    let required = &manifest["requiredStatement"];
    assert!(
        required["value"]["zh-CN"][0]
            .as_str()
            .unwrap()
            .contains("测试档案馆")
    );
    // Free-text rights are not a rights URI: no `rights` property.
    assert!(manifest.get("rights").is_none());
    assert_eq!(manifest["navDate"], "1921-07-23T00:00:00Z");
    assert!(
        file_of(&out, manifest["homepage"][0]["id"].as_str().unwrap())
            .join("index.html")
            .is_file()
    );

    let canvases = manifest["items"].as_array().unwrap();
    assert_eq!(canvases.len(), 1, "only the raster image has a canvas");
    let mut ids = HashSet::new();
    for canvas in canvases {
        assert_eq!(canvas["type"], "Canvas");
        let canvas_id = canvas["id"].as_str().unwrap();
        assert!(canvas_id.starts_with(&format!("{BASE_URL}archive/t-0001/")));
        assert!(
            !canvas_id.contains('#'),
            "canvas ids must not have fragments"
        );
        assert_eq!(
            (canvas["width"].as_u64(), canvas["height"].as_u64()),
            (Some(1200), Some(900))
        );
        let page = &canvas["items"][0];
        assert_eq!(page["type"], "AnnotationPage");
        let annotation = &page["items"][0];
        assert_eq!(annotation["type"], "Annotation");
        assert_eq!(annotation["motivation"], "painting");
        assert_eq!(annotation["target"], canvas["id"]);
        let body = &annotation["body"];
        assert_eq!(body["type"], "Image");
        assert_eq!(body["format"], "image/jpeg");
        let body_file = file_of(&out, body["id"].as_str().unwrap());
        let (w, h) = dimensions(&body_file);
        assert_eq!(
            (body["width"].as_u64(), body["height"].as_u64()),
            (Some(u64::from(w)), Some(u64::from(h)))
        );
        let service = &body["service"][0];
        assert_eq!(service["type"], "ImageService3");
        assert_eq!(service["profile"], "level0");
        let info = json(&file_of(&out, service["id"].as_str().unwrap()).join("info.json"));
        assert_eq!(info["id"], service["id"]);
        assert_eq!(
            (info["width"].as_u64(), info["height"].as_u64()),
            (canvas["width"].as_u64(), canvas["height"].as_u64())
        );
        let thumbnail = &canvas["thumbnail"][0];
        assert!(file_of(&out, thumbnail["id"].as_str().unwrap()).is_file());
        for id in [
            canvas_id,
            page["id"].as_str().unwrap(),
            annotation["id"].as_str().unwrap(),
        ] {
            assert!(ids.insert(id.to_string()), "duplicate id {id}");
        }
    }
}

#[test]
fn a_rebuild_after_a_text_change_processes_no_image() {
    let dir = site("");
    let out = dir.path().join("public");
    let first = build_into(dir.path(), &out);
    // The scan and the figure's photo; the SVG is not processed.
    assert_eq!(first.result.images.processed, 2);
    assert_eq!(first.result.images.cached, 0);
    assert!(dir.path().join(".lantai-cache/images").is_dir());
    assert!(
        !out.join(".lantai-cache").exists(),
        "the cache is never in the output"
    );

    let item = dir.path().join("content/archive/t-0001.md");
    let text = fs::read_to_string(&item)
        .unwrap()
        .replace("一封测试用的信。", "一封改过的信。");
    fs::write(&item, text).unwrap();
    let second = build_into(dir.path(), &out);
    assert!(!second.result.diagnostics.has_errors());
    assert_eq!(
        second.result.images.processed, 0,
        "no image work on a text change"
    );
    assert_eq!(second.result.images.cached, 2);
    assert!(
        fs::read_to_string(out.join("archive/t-0001/index.html"))
            .unwrap()
            .contains("一封改过的信")
    );
    assert!(
        out.join("archive/t-0001/iiif/scan.png/0,0,512,512/512,512/0/default.jpg")
            .is_file()
    );

    // Changing the image's bytes processes that image again, and only it.
    scan(1000, 900)
        .save(dir.path().join("content/archive/t-0001/scan.png"))
        .unwrap();
    let third = build_into(dir.path(), &out);
    assert_eq!(
        (third.result.images.processed, third.result.images.cached),
        (1, 1)
    );
    assert_eq!(
        dimensions(&out.join("archive/t-0001/iiif/scan.png/full/max/0/default.jpg")),
        (1000, 900)
    );
}

#[test]
fn a_damaged_image_is_named_and_every_other_problem_still_reported() {
    let dir = site("");
    let root = dir.path();
    write(
        root,
        "content/archive/t-0002.md",
        "---\nref: T-2\ntitle: 损坏的扫描\ndate: 1922\ntype: document\nimages:\n  - src: broken.jpg\n    alt: 损坏\n---\n",
    );
    // A JPEG cut off after its header.
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(scan(64, 64))
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    jpeg.truncate(200);
    fs::create_dir_all(root.join("content/archive/t-0002")).unwrap();
    fs::write(root.join("content/archive/t-0002/broken.jpg"), jpeg).unwrap();
    // And an unrelated content error in another file.
    write(
        root,
        "content/archive/t-0003.md",
        "---\nref: T-3\ntitle: 另一件\ndate: 1923\ntype: document\ndte: 1923\n---\n",
    );
    let out = root.join("public");
    let assert = Command::cargo_bin("lantai")
        .unwrap()
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("error[E0801]"), "{stderr}");
    assert!(
        stderr.contains("content/archive/t-0002/broken.jpg"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/archive/t-0002.md:7"),
        "points at the images entry: {stderr}"
    );
    assert!(
        stderr.contains("error[E0203]"),
        "the other error is reported too: {stderr}"
    );
    assert!(!out.exists(), "a failed build writes nothing");
    // The good images were still processed and cached for the next run.
    let report = build_into(root, &out);
    assert_eq!(report.result.images.cached, 2);
    assert_eq!(report.result.images.processed, 0);
}

#[test]
fn check_inspects_images_but_writes_nothing() {
    let dir = site("");
    let root = dir.path();
    fs::write(
        root.join("content/archive/t-0001/scan.png"),
        b"\x89PNG\r\n\x1a\nnot really",
    )
    .unwrap();
    let assert = Command::cargo_bin("lantai")
        .unwrap()
        .args(["check", "--format", "json", "--root"])
        .arg(root)
        .assert()
        .code(1);
    let report: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let codes: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["E0801"]);
    assert!(
        !root.join(".lantai-cache").exists(),
        "check writes no cache"
    );
    assert!(!root.join("public").exists());
}

#[test]
fn settings_turn_tiles_and_webp_off_and_choose_widths() {
    let dir = site("images:\n  widths: [200, 600]\n  webp: false\n  tiles: false\n  quality: 60\n");
    let out = dir.path().join("public");
    let report = build_into(dir.path(), &out);
    assert!(
        !report.result.diagnostics.has_errors(),
        "{:?}",
        report.result.diagnostics
    );
    let service = out.join("archive/t-0001/iiif/scan.png");
    assert_eq!(
        dimensions(&service.join("full/200,150/0/default.jpg")),
        (200, 150)
    );
    assert_eq!(
        dimensions(&service.join("full/600,450/0/default.jpg")),
        (600, 450)
    );
    assert!(!service.join("full/200,150/0/default.webp").exists());
    assert!(!service.join("0,0,512,512").exists());
    let info = json(&service.join("info.json"));
    assert!(info.get("tiles").is_none());
    let page = fs::read_to_string(out.join("archive/t-0001/index.html")).unwrap();
    assert!(!page.contains("data-zoom-info") && !page.contains("zoom.js"));
    assert!(!page.contains("image/webp"));
}
