//! Files the user brings: from a file input (files, a folder via webkitdirectory) or a drop
//! (files, folders walked through the entries API, zips). Each comes with its project path.

use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{DataTransfer, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry};

/// A file to read, with its path inside what the user chose.
pub struct Picked {
    pub path: String,
    pub file: web_sys::File,
}

/// The files of an <input type=file>; a folder pick names each by its `webkitRelativePath`.
pub fn from_list(list: &web_sys::FileList) -> Vec<Picked> {
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|file| {
            // `webkitRelativePath` is not in web-sys: read the property.
            let relative = js_sys::Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            let path = if relative.is_empty() { file.name() } else { relative };
            Picked { path, file }
        })
        .collect()
}

/// The files of a drop. Folders are walked; the entries must be taken before the first await,
/// while the drop event still grants access to its items.
pub async fn from_drop(transfer: &DataTransfer) -> Vec<Picked> {
    let items = transfer.items();
    let entries: Vec<FileSystemEntry> =
        (0..items.length()).filter_map(|i| items.get(i)).filter_map(|item| item.webkit_get_as_entry().ok().flatten()).collect();
    if entries.is_empty() {
        // Synthetic drops (and some browsers) give no entries: take the plain file list.
        return transfer.files().map(|list| from_list(&list)).unwrap_or_default();
    }
    let mut picked = Vec::new();
    let mut stack = entries;
    while let Some(entry) = stack.pop() {
        if entry.is_directory() {
            let dir: FileSystemDirectoryEntry = entry.unchecked_into();
            stack.extend(read_dir(&dir).await);
        } else if let Some(file) = read_file(entry.unchecked_ref()).await {
            let full = entry.full_path();
            let path = full.strip_prefix('/').unwrap_or(&full).to_owned();
            picked.push(Picked { path, file });
        }
    }
    // In walk order: `intake::bring` sorts every pick by path.
    picked
}

/// Every entry of a directory: `readEntries` hands them out in batches until an empty one.
async fn read_dir(dir: &FileSystemDirectoryEntry) -> Vec<FileSystemEntry> {
    let reader = dir.create_reader();
    let mut all = Vec::new();
    loop {
        let promise = Promise::new(&mut |resolve, reject| {
            if let Err(e) = reader.read_entries_with_callback_and_callback(&resolve, &reject) {
                let _ = reject.call1(&JsValue::NULL, &e);
            }
        });
        let Ok(batch) = JsFuture::from(promise).await else { break };
        let batch: Array = batch.unchecked_into();
        if batch.length() == 0 {
            break;
        }
        all.extend(batch.iter().map(JsValue::unchecked_into::<FileSystemEntry>));
    }
    all
}

async fn read_file(entry: &FileSystemFileEntry) -> Option<web_sys::File> {
    let promise = Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    });
    JsFuture::from(promise).await.ok().map(JsValue::unchecked_into)
}

/// The bytes of a file.
pub async fn bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    gloo_file::futures::read_as_bytes(&gloo_file::Blob::from(file.clone())).await.map_err(|e| e.to_string())
}

/// The text of a file.
pub async fn text(file: &web_sys::File) -> Result<String, String> {
    gloo_file::futures::read_as_text(&gloo_file::Blob::from(file.clone())).await.map_err(|e| e.to_string())
}
