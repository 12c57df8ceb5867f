//! dist/'s files. Each file index.html loads is named by its content (`style-<16 hex>.css`: hosts may
//! cache it forever) and linked with an `integrity` hash. The wasm loader is a file too, since the
//! page's Content-Security-Policy (`script-src 'self'`) refuses inline scripts. Release builds ship
//! their CSS and JS minified by esbuild (npm, beside wasm-opt in tests/node_modules): 5 KB less gzipped.

use crate::page::read;
use crate::run::{cmd, root, status, Result};
use base64::Engine;
use sha2::{Digest, Sha256, Sha384};
use std::path::{Path, PathBuf};

/// Copied from public/ under their own names: browsers know an installed app by its manifest's URL,
/// and the manifest names its icon.
const STABLE: &[&str] = &["manifest.webmanifest", "favicon.svg"];

/// index.html names the files to hash by their path in the repository: `href="public/style.css"`.
const SOURCE: &str = "\"public/";

pub struct Assets {
    dir: PathBuf,
    minify: bool,
}

impl Assets {
    /// `dir` emptied, with the STABLE files in it; CSS and JS written through esbuild when `minify`.
    pub fn new(dir: &Path, minify: bool) -> Result<Assets> {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let assets = Assets { dir: dir.to_path_buf(), minify };
        for name in STABLE {
            assets.write(name, &read(&root().join("public").join(name))?)?;
        }
        Ok(assets)
    }

    /// Writes `name`; returns its `integrity` value.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<String> {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))))
    }

    /// index.html from the repository's `html`: each `"public/…"` file it names hashed and linked,
    /// then the wasm `app` (bindgen's `wasm` and JS `glue`) with its loader, at the end of the head.
    pub fn index_html(&self, html: &[u8], app: &str, wasm: &[u8], glue: &[u8]) -> Result<String> {
        let html = std::str::from_utf8(html).map_err(|e| format!("index.html: {e}"))?;
        let mut out = String::new();
        let mut rest = html;
        while let Some(start) = rest.find(SOURCE) {
            let path = &rest[start + 1..];
            let end = path.find('"').ok_or("index.html: unclosed \"public/…")?;
            let file = Path::new(&path[..end]);
            let stem = file.file_stem().unwrap_or_default().to_string_lossy();
            let ext = file.extension().unwrap_or_default().to_string_lossy();
            let bytes = self.minified(read(&root().join(file))?, &ext)?;
            let name = format!("{stem}-{}.{ext}", content_hash(&[&bytes]));
            let integrity = self.write(&name, &bytes)?;
            out.push_str(&rest[..start]);
            out.push_str(&format!("\"./{name}\" integrity=\"{integrity}\""));
            rest = &path[end + 1..];
        }
        out.push_str(rest);

        // One hash names both: the glue is made for this wasm.
        let glue = &self.minified(glue.to_vec(), "js")?;
        let base = format!("{app}-{}", content_hash(&[wasm, glue]));
        let (wasm_name, glue_name) = (format!("{base}_bg.wasm"), format!("{base}.js"));
        self.write(&wasm_name, wasm)?;
        let glue_integrity = self.write(&glue_name, glue)?;
        // A module script resolves `./` against the document: the loader sits beside index.html.
        let loader = format!("import init from './{glue_name}';\nawait init({{ module_or_path: './{wasm_name}' }});\n");
        let loader_name = format!("loader-{}.js", content_hash(&[loader.as_bytes()]));
        let loader_integrity = self.write(&loader_name, loader.as_bytes())?;
        // The preloads fetch the glue and the wasm while the loader is still on its way. No `integrity`
        // on the wasm's: a fetch preload ignores it (Chromium warns), and the loader's fetch has none.
        let tags = format!(
            "  <script type=\"module\" src=\"./{loader_name}\" integrity=\"{loader_integrity}\"></script>
    <link rel=\"modulepreload\" href=\"./{glue_name}\" crossorigin=\"anonymous\" integrity=\"{glue_integrity}\" />
    <link rel=\"preload\" href=\"./{wasm_name}\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\" />
  </head>"
        );
        match out.matches("</head>").count() {
            1 => Ok(out.replacen("</head>", &tags, 1)),
            n => Err(format!("index.html: expected one </head>, found {n}")),
        }
    }

    /// `bytes` minified by esbuild when this build minifies and `ext` is `css` or `js`; else as they are.
    fn minified(&self, bytes: Vec<u8>, ext: &str) -> Result<Vec<u8>> {
        if !self.minify || !matches!(ext, "css" | "js") {
            return Ok(bytes);
        }
        let dir = root().join("target/page-minify");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let (input, output) = (dir.join(format!("in.{ext}")), dir.join(format!("out.{ext}")));
        std::fs::write(&input, &bytes).map_err(|e| format!("{}: {e}", input.display()))?;
        let out = format!("--outfile={}", output.display());
        status(&mut cmd("esbuild", &[&input.display().to_string(), "--minify", "--log-level=warning", &out]))?;
        read(&output)
    }
}

/// The first 16 hex digits of the SHA-256 of `parts`: names that change exactly when the content does.
fn content_hash(parts: &[&[u8]]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part);
    }
    hash.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}
