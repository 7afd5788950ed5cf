//! `seeds TARGET OUT_DIR [--no-corpus]`: writes the target's seed inputs (see
//! `recovery_fuzz::seeds`) into OUT_DIR, one file each, for `fuzz/run.sh`.

use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(target), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: seeds TARGET OUT_DIR [--no-corpus]");
        std::process::exit(2);
    };
    let corpus = !args.iter().any(|a| a == "--no-corpus");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out).expect("the seed folder can be created");
    let seeds = recovery_fuzz::seeds::seeds(&root, target, corpus);
    for (i, (_, bytes)) in seeds.iter().enumerate() {
        std::fs::write(out.join(format!("seed{i:04}")), bytes).expect("a seed can be written");
    }
    println!("{} seeds for {target} in {}", seeds.len(), out.display());
}
