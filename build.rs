//! Embeds the files under frontend/ into the binary: writes a table of
//! (path, bytes) that src/web.rs serves.

use std::path::Path;

fn collect(dir: &Path, root: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, root, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            let abs = path.canonicalize().unwrap_or(path.clone());
            out.push(format!(
                "    ({rel:?}, include_bytes!({:?}) as &[u8]),",
                abs.to_string_lossy()
            ));
        }
    }
}

fn main() {
    let root = Path::new("frontend");
    println!("cargo:rerun-if-changed=frontend");
    let mut rows = Vec::new();
    collect(root, root, &mut rows);
    let code = format!(
        "pub static FILES: &[(&str, &[u8])] = &[\n{}\n];\n",
        rows.join("\n")
    );
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("frontend_files.rs");
    std::fs::write(out, code).expect("cannot write the embedded frontend table");
}
