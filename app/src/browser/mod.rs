//! Thin wrappers over the browser APIs the page needs beyond the DOM tree: files the user brings,
//! downloads, the URL fragment, the clipboard, local storage. gloo where it covers the API.

pub mod clipboard;
pub mod download;
pub mod files;
pub mod fragment;
pub mod storage;
