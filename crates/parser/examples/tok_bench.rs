use std::time::Instant;
fn main() {
    let files: Vec<Vec<u8>> = std::env::args().skip(1).filter_map(|p| std::fs::read(p).ok()).collect();
    let srcs: Vec<String> = files.iter().filter_map(|f| taipan_parser::source::decode(f).ok().map(|s| s.text)).collect();
    let t = Instant::now();
    for f in &files {
        std::hint::black_box(taipan_parser::source::decode(f).is_ok());
    }
    println!("decode {:.3}", t.elapsed().as_secs_f64());
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let t = Instant::now();
        let mut n = 0;
        for s in &srcs {
            let mut tz = taipan_parser::tokenizer::Tokenizer::new(s);
            while let Ok(tok) = tz.next_token() {
                n += 1;
                if tok.kind == taipan_parser::tokenizer::Tok::EndMarker {
                    break;
                }
            }
        }
        std::hint::black_box(n);
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("tokenize {:.3}", best);
}
