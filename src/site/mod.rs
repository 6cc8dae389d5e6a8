//! Resolve: the one cross-linked model of the site that templates see.
//!
//! `resolve` takes the loaded documents, removes drafts (unless asked for)
//! and restricted items — once, here, so no later stage can leak them — and
//! checks every cross-reference. Everything after this point works on a
//! [`Site`] that holds only what may be published.

pub mod browse;
pub mod citation;
mod links;
mod resolve;
pub mod tags;
pub mod timeline;
pub mod urls;

use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::content::{Exhibit, Home, Item, MediaFile, Page, Person, Place, Section};

pub use resolve::{ResolveOptions, resolve};
pub use tags::Tag;

/// An exhibit with its sections in reading order.
#[derive(Debug, Clone)]
pub struct ExhibitEntry {
    pub exhibit: Exhibit,
    pub sections: Vec<Section>,
    pub cover: Option<Cover>,
}

/// The image that stands for an exhibit.
#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    /// Root-relative URL of the image.
    pub url: String,
    pub alt: String,
    /// The item the cover comes from, if any.
    pub item: Option<String>,
}

/// Where an item appears in the exhibits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appearance {
    pub exhibit: usize,
    pub section: usize,
    /// Quoted with `excerpt` rather than shown with `item`.
    pub quoted: bool,
}

/// The resolved site: only publishable content, cross-linked.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub home: Option<Home>,
    /// By weight, then newest `opened` first.
    pub exhibits: Vec<ExhibitEntry>,
    /// By earliest date, then reference code.
    pub items: Vec<Item>,
    pub people: Vec<Person>,
    pub places: Vec<Place>,
    /// By weight, then title.
    pub pages: Vec<Page>,
    pub tags: Vec<Tag>,
    /// Media files to publish, with their output paths.
    pub media: Vec<(String, MediaFile)>,
    /// Per item (same index as `items`): the sections that show or quote it.
    pub appearances: Vec<Vec<Appearance>>,
    /// Per person: indexes of items that name them (people, creator).
    pub person_items: Vec<Vec<usize>>,
    /// Per person: (exhibit, section) pairs whose items or links involve them.
    pub person_sections: Vec<Vec<(usize, Option<usize>)>>,
    pub place_items: Vec<Vec<usize>>,
    pub place_sections: Vec<Vec<(usize, Option<usize>)>>,
    /// The catalogue's facet values behind `/browse/`, grouped by kind.
    pub facets: Vec<browse::Facet>,
    /// Processed images (sizes, derivatives, tiles); empty until the image
    /// stage after resolve fills it.
    pub images: crate::images::Catalog,
    item_index: FxHashMap<String, usize>,
    person_index: FxHashMap<String, usize>,
    place_index: FxHashMap<String, usize>,
    /// Tag name → position in `tags`.
    tag_index: FxHashMap<String, usize>,
}

impl Site {
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.item_index.get(id).map(|&i| &self.items[i])
    }

    pub fn item_position(&self, id: &str) -> Option<usize> {
        self.item_index.get(id).copied()
    }

    pub fn person(&self, slug: &str) -> Option<&Person> {
        self.person_index.get(slug).map(|&i| &self.people[i])
    }

    pub fn person_position(&self, slug: &str) -> Option<usize> {
        self.person_index.get(slug).copied()
    }

    pub fn place_position(&self, slug: &str) -> Option<usize> {
        self.place_index.get(slug).copied()
    }

    pub fn place(&self, slug: &str) -> Option<&Place> {
        self.place_index.get(slug).map(|&i| &self.places[i])
    }

    /// The position in `tags` of the tag an item writes as `name` (spaces
    /// around it do not count, as in [`tags::collect`]).
    pub fn tag_position(&self, name: &str) -> Option<usize> {
        self.tag_index.get(name.trim()).copied()
    }

    /// The tag an item writes as `name`, as [`Site::tag_position`] finds it.
    pub fn tag(&self, name: &str) -> Option<&Tag> {
        self.tag_position(name).map(|i| &self.tags[i])
    }
}
