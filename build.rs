//! Embeds the files under frontend/ into the binary (a table of (path, bytes) that
//! src/web.rs serves) and the email templates under templates/mail/ (a table of
//! (path, text) that src/mail/templates.rs loads).

use std::path::Path;

/// One row per file: `(path, include!(file) cast)`, `include` being `include_bytes` or
/// `include_str`.
fn collect(dir: &Path, root: &Path, include: &str, cast: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, root, include, cast, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            let abs = path.canonicalize().unwrap_or(path.clone());
            out.push(format!(
                "    ({rel:?}, {include}!({:?}){cast}),",
                abs.to_string_lossy()
            ));
        }
    }
}

fn main() {
    let root = Path::new("frontend");
    println!("cargo:rerun-if-changed=frontend");
    let mut rows = Vec::new();
    collect(root, root, "include_bytes", " as &[u8]", &mut rows);
    let code = format!(
        "pub static FILES: &[(&str, &[u8])] = &[\n{}\n];\n",
        rows.join("\n")
    );
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("frontend_files.rs");
    std::fs::write(out, code).expect("cannot write the embedded frontend table");

    let root = Path::new("templates/mail");
    println!("cargo:rerun-if-changed=templates/mail");
    let mut rows = Vec::new();
    collect(root, root, "include_str", "", &mut rows);
    let code = format!(
        "pub static MAIL_TEMPLATES: &[(&str, &str)] = &[\n{}\n];\n",
        rows.join("\n")
    );
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("mail_templates.rs");
    std::fs::write(out, code).expect("cannot write the embedded mail templates table");
}
