//! `lantai init` and `lantai new`: starting files with the required fields.
//!
//! Nothing here overwrites an existing file.

use std::path::{Path, PathBuf};

use crate::content::item::is_valid_id;
use crate::slug::is_valid_slug;

/// Why a scaffold could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{path} already exists; lantai never overwrites a file")]
    Exists { path: PathBuf },
    #[error("`{value}` cannot be {what}: {rule}")]
    BadName {
        value: String,
        what: &'static str,
        rule: &'static str,
    },
    #[error("the exhibit `{slug}` does not exist (no {path})")]
    NoExhibit { slug: String, path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    if path.exists() {
        return Err(ScaffoldError::Exists {
            path: path.to_path_buf(),
        });
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| ScaffoldError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, text).map_err(|source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn check_slug(value: &str, what: &'static str) -> Result<(), ScaffoldError> {
    if is_valid_slug(value) {
        Ok(())
    } else {
        Err(ScaffoldError::BadName {
            value: value.to_string(),
            what,
            rule: "use lowercase letters, digits and single `-`, e.g. first-congress",
        })
    }
}

const STARTER_SITE: &str = "title: 我的网上展厅
description: 用 lantai 制作的档案展览
base_url: https://example.org/
language: zh-CN
institution: 示例档案馆
rights: 版权所有，未经许可，不得转载
output_dir: public
";

const STARTER_HOME: &str = "---
title: 我的网上展厅
---
欢迎。这是新网站的首页，写在 `content/_index.md` 里。
";

const STARTER_ITEM: &str = r#"---
ref: DEMO-0001
title: 示例档案
date: 1921-07
type: document
creator: [example-person]
places: [example-place]
tags: [示例]
images:
  - src: page-1.svg
    alt: 示例档案的示意图：一页竖排文字
---
这里写档案的描述。图像放在 `content/archive/demo-0001/` 文件夹里。

## 录文

这里写录文（示意）。
"#;

const STARTER_IMAGE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="400" viewBox="0 0 300 400"><rect width="300" height="400" fill="#f4ecd8" stroke="#8b6f47" stroke-width="6"/><g stroke="#4a3b2a" stroke-width="3"><line x1="240" y1="40" x2="240" y2="360"/><line x1="200" y1="40" x2="200" y2="330"/><line x1="160" y1="40" x2="160" y2="350"/><line x1="120" y1="40" x2="120" y2="300"/></g></svg>
"##;

/// `lantai init DIR`: a new site with starter content that builds.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    for existing in ["site.yaml", "content"] {
        let path = dir.join(existing);
        if path.exists() {
            return Err(ScaffoldError::Exists { path });
        }
    }
    let files: Vec<(PathBuf, String)> = vec![
        (dir.join("site.yaml"), STARTER_SITE.to_string()),
        (dir.join("content/_index.md"), STARTER_HOME.to_string()),
        (
            dir.join("content/exhibits/first-exhibit/_index.md"),
            exhibit_text("first-exhibit"),
        ),
        (
            dir.join("content/exhibits/first-exhibit/01-introduction.md"),
            section_text("introduction"),
        ),
        (dir.join("content/archive/demo-0001.md"), STARTER_ITEM.to_string()),
        (
            dir.join("content/archive/demo-0001/page-1.svg"),
            STARTER_IMAGE.to_string(),
        ),
        (
            dir.join("content/people/example-person.md"),
            "---\ntitle: 示例人物\nborn: 1890\ndied: 1960\naliases: [字某某]\nsummary: 人物简介。\n---\n人物生平。\n".to_string(),
        ),
        (
            dir.join("content/places/example-place.md"),
            "---\ntitle: 示例地点\naddress: 上海市\nlat: 31.22\nlon: 121.47\nsummary: 地点简介。\n---\n地点介绍。\n".to_string(),
        ),
        (
            dir.join("content/pages/about.md"),
            "---\ntitle: 关于本馆\nmenu: true\n---\n关于本网站。\n".to_string(),
        ),
    ];
    let mut written = Vec::new();
    for (path, text) in files {
        write_new(&path, &text)?;
        written.push(path);
    }
    // The output and the image cache are made by lantai, not by hand; a
    // folder that already has a .gitignore keeps its own.
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        write_new(&ignore, "/public/\n/.public.lantai-*/\n/.lantai-cache/\n")?;
        written.push(ignore);
    }
    Ok(written)
}

fn exhibit_text(slug: &str) -> String {
    format!(
        "---\ntitle: 新展览 {slug}\nsubtitle: 副标题\nsummary: 一句话介绍这个展览。\ncurators: [策展人]\nopened: 2026-07-01\ntags: [示例]\n---\n展览的前言。\n"
    )
}

fn section_text(slug: &str) -> String {
    format!(
        "---\ntitle: 新单元 {slug}\nsummary: 一句话介绍这个单元。\n---\n单元的叙述。用 `{{{{ item(id=\"demo-0001\") }}}}` 展示一件档案。\n"
    )
}

/// `lantai new exhibit SLUG`.
pub fn new_exhibit(root: &Path, slug: &str) -> Result<PathBuf, ScaffoldError> {
    check_slug(slug, "an exhibit slug")?;
    let path = root.join("content/exhibits").join(slug).join("_index.md");
    write_new(&path, &exhibit_text(slug))?;
    Ok(path)
}

/// `lantai new section EXHIBIT SLUG`: numbered after the last section.
pub fn new_section(root: &Path, exhibit: &str, slug: &str) -> Result<PathBuf, ScaffoldError> {
    check_slug(slug, "a section slug")?;
    let folder = root.join("content/exhibits").join(exhibit);
    let index = folder.join("_index.md");
    if !index.exists() {
        return Err(ScaffoldError::NoExhibit {
            slug: exhibit.to_string(),
            path: index,
        });
    }
    let highest = std::fs::read_dir(&folder)
        .map_err(|source| ScaffoldError::Io {
            path: folder.clone(),
            source,
        })?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u32>().ok()
        })
        .max()
        .unwrap_or(0);
    let path = folder.join(format!("{:02}-{slug}.md", highest + 1));
    write_new(&path, &section_text(slug))?;
    Ok(path)
}

/// `lantai new item ID`.
pub fn new_item(root: &Path, id: &str) -> Result<PathBuf, ScaffoldError> {
    if !is_valid_id(id) {
        return Err(ScaffoldError::BadName {
            value: id.to_string(),
            what: "an item id",
            rule: "use lowercase letters, digits and `-`, e.g. hx-0042",
        });
    }
    let path = root.join("content/archive").join(format!("{id}.md"));
    let text = format!(
        "---\nref: 待填写\ntitle: 待填写题名\ndate: 1921\ntype: document\nimages: []\n---\n描述。图像放在 content/archive/{id}/ 文件夹中，并在 images 中列出 src 与 alt。\n"
    );
    write_new(&path, &text)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        new_item(dir.path(), "hx-1").unwrap();
        assert!(matches!(
            new_item(dir.path(), "hx-1"),
            Err(ScaffoldError::Exists { .. })
        ));
    }

    #[test]
    fn sections_are_numbered_after_the_last() {
        let dir = tempfile::tempdir().unwrap();
        new_exhibit(dir.path(), "a").unwrap();
        let first = new_section(dir.path(), "a", "one").unwrap();
        let second = new_section(dir.path(), "a", "two").unwrap();
        assert!(first.ends_with("01-one.md"));
        assert!(second.ends_with("02-two.md"));
        assert!(new_section(dir.path(), "missing", "x").is_err());
    }

    #[test]
    fn rejects_bad_names() {
        let dir = tempfile::tempdir().unwrap();
        assert!(new_item(dir.path(), "HX 1").is_err());
        assert!(new_exhibit(dir.path(), "第一展").is_err());
    }
}
