//! Receipts rendered here, read by the real Tesseract (scripts/tesseract.sh): the hit
//! rate of the TOTAL line over fonts, sizes, rotations and noise.
//!
//! ```sh
//! eval "$(scripts/tesseract.sh)"
//! cargo test --release -p arichat-deals --test ocr -- --nocapture   # prints the figures
//! ```

mod receipts;

use std::sync::Mutex;
use std::time::Instant;

use ab_glyph::FontVec;
use arichat_core::money::Region;
use arichat_deals::{ReceiptText, Tesseract};
use image::DynamicImage;

struct Case {
    font: &'static str,
    px: f32,
    degrees: f32,
    noise: f64,
}

/// 3 fonts × 3 sizes × 4 (rotation, noise) pairs = 36 receipts.
fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for font in ["DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSansMono.ttf"] {
        for px in [18.0, 24.0, 32.0] {
            for (degrees, noise) in [(0.0, 0.0), (-2.0, 0.02), (1.5, 0.0), (3.5, 0.04)] {
                out.push(Case {
                    font,
                    px,
                    degrees,
                    noise,
                });
            }
        }
    }
    out
}

/// The region receipt `n` is written in (see `receipts::receipt`).
fn region(n: usize) -> Region {
    [Region::Co, Region::Mx, Region::Br][n % 3]
}

/// Whether the total the core picks from the text is the receipt's, to the cent.
fn hit(read: &ReceiptText, n: usize, digits: &str) -> bool {
    read.total(region(n))
        .is_some_and(|a| a.minor.to_string() == digits)
}

/// (hits, cases, seconds per receipt) for `tesseract` on every case, two at a time.
fn run(tesseract: &Tesseract, fonts_dir: &str) -> (usize, usize, f64, Vec<String>) {
    let cases = cases();
    let next = Mutex::new(0usize);
    let results = Mutex::new((0usize, 0f64, Vec::new()));
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = {
                    let mut n = next.lock().unwrap();
                    *n += 1;
                    *n - 1
                };
                let Some(case) = cases.get(i) else { break };
                let font = FontVec::try_from_vec(
                    std::fs::read(format!("{fonts_dir}/{}", case.font)).unwrap(),
                )
                .unwrap();
                let receipt = receipts::receipt(i as u64);
                let mut img = receipts::render(&receipt, &font, case.px);
                if case.degrees != 0.0 {
                    img = arichat_deals::ocr::rotate(&img, case.degrees, 255);
                }
                receipts::add_noise(&mut img, case.noise, 1 + i as u64);
                let started = Instant::now();
                let read = tesseract
                    .read_image(&DynamicImage::ImageLuma8(img))
                    .unwrap();
                let took = started.elapsed().as_secs_f64();
                let ok = hit(&read, i, &receipt.total_digits);
                let mut r = results.lock().unwrap();
                r.0 += usize::from(ok);
                r.1 += took;
                if !ok {
                    r.2.push(format!(
                        "{} {}px {}° noise {}: wanted {}, read {:?}",
                        case.font,
                        case.px,
                        case.degrees,
                        case.noise,
                        receipt.total_digits,
                        read.total(region(i)).map(|a| a.text)
                    ));
                }
            });
        }
    });
    let (hits, seconds, misses) = results.into_inner().unwrap();
    (hits, cases.len(), seconds / cases.len() as f64, misses)
}

#[test]
fn rendered_receipts_are_read_with_their_total() {
    let Some((binary, fonts)) = receipts::setup() else {
        return;
    };
    let tesseract = Tesseract::new().with_binary(&binary);
    let (hits, total, per_receipt, misses) = run(&tesseract, &fonts);
    println!(
        "OCR hit rate (preprocessed): {hits}/{total} = {:.1} %, {:.0} ms per receipt",
        100.0 * hits as f64 / total as f64,
        per_receipt * 1000.0
    );
    for m in &misses {
        println!("  miss: {m}");
    }
    let raw = Tesseract::new()
        .with_binary(&binary)
        .without_preprocessing();
    let (raw_hits, _, raw_per_receipt, _) = run(&raw, &fonts);
    println!(
        "OCR hit rate (raw image):    {raw_hits}/{total} = {:.1} %, {:.0} ms per receipt",
        100.0 * raw_hits as f64 / total as f64,
        raw_per_receipt * 1000.0
    );
    // Tesseract is deterministic and the noise seeded: to the cent, 36/36 with this
    // pipeline and Debian's Tesseract 5.3, 29/36 on the raw image (BENCHMARKS.md). The
    // bar is the raw image's and 34, so a change that makes the preprocessing or the
    // core's picker worth less fails here.
    assert!(hits >= raw_hits.max(34), "{hits}/{total}: {misses:#?}");
}

#[test]
fn an_image_that_does_not_decode_is_a_typed_error() {
    let err = Tesseract::new().read(b"not an image").unwrap_err();
    assert_eq!(err.code(), "invalid_image");
    let err = Tesseract::new()
        .with_binary("/nonexistent/tesseract")
        .read_image(&DynamicImage::new_luma8(10, 10))
        .unwrap_err();
    assert_eq!(err.code(), "ocr_unavailable");
}
