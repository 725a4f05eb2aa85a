//! `parse_bench FILE...`: reads all files into memory, parses them all three
//! times and prints the best time: `parsed N files, M bytes in S seconds`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;

fn main() {
    let files: Vec<Vec<u8>> = std::env::args().skip(1).filter_map(|p| std::fs::read(p).ok()).collect();
    let bytes: usize = files.iter().map(|f| f.len()).sum();
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let t = Instant::now();
        for f in &files {
            let r = taipan_parser::parse_module(f);
            std::hint::black_box(&r);
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("parsed {} files, {} bytes in {:.3} seconds", files.len(), bytes, best);
}
