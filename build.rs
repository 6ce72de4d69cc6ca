//! Builds the shipped gazetteers (`gazetteers/`) into the binary, so that an
//! installed or copied `dossier` works without the source tree: writes
//! `$OUT_DIR/shipped_gazetteers.rs`, a table of every file of the folder
//! (its path inside the folder and its bytes, by `include_bytes!`) and a
//! digest of them all, which names the folder the files are unpacked into
//! (`src/gazetteer/shipped.rs`).

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest.join("gazetteers");
    // A folder: cargo looks at every file under it.
    println!("cargo:rerun-if-changed=gazetteers");
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    files.sort();
    // FNV-1a over every path and its bytes: a name for this set of files,
    // not a security measure.
    let mut digest: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            digest ^= u64::from(b);
            digest = digest.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    let mut table =
        String::from("/// Every shipped gazetteer file: its path in the folder, its bytes.\n");
    table.push_str("pub(crate) static FILES: &[(&str, &[u8])] = &[\n");
    for (relative, absolute) in &files {
        let bytes = std::fs::read(absolute).expect("read a gazetteer file");
        eat(relative.as_bytes());
        eat(&[0]);
        eat(&(bytes.len() as u64).to_le_bytes());
        eat(&bytes);
        table.push_str(&format!(
            "    ({relative:?}, include_bytes!({:?})),\n",
            absolute.display().to_string()
        ));
    }
    table.push_str("];\n");
    table.push_str(&format!(
        "/// A digest of [`FILES`], which names the folder they are unpacked into.\n\
         pub(crate) const DIGEST: &str = \"{:08x}\";\n",
        digest >> 32
    ));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("shipped_gazetteers.rs"), table).expect("write the table");
}

/// Every file under `dir` (hidden ones and editor backups left out), with
/// its path relative to `root`, `/`-separated.
fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let entries = std::fs::read_dir(dir).expect("read the gazetteers folder");
    for entry in entries {
        let entry = entry.expect("read the gazetteers folder");
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type().expect("read the gazetteers folder");
        if kind.is_dir() {
            walk(root, &path, files);
        } else if kind.is_file() {
            let relative = path
                .strip_prefix(root)
                .expect("under the root")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push((relative, path));
        }
    }
}
