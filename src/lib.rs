//! Lantai (兰台): a static site generator for online history exhibitions.
//!
//! The pipeline has four stages, each a module: [`content`] loads files into
//! documents, [`site`] resolves them into one cross-linked model, [`render`]
//! turns the model into pages, and [`output`] writes them out atomically.
//! [`build`] runs the stages in order; [`serve`] keeps them in memory and
//! runs them again on every change.

pub mod build;
pub mod check;
pub mod config;
pub mod console;
pub mod content;
pub mod diagnostics;
pub mod images;
pub mod markdown;
pub mod output;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
