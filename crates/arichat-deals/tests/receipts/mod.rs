//! Receipt images the OCR tests render themselves: DejaVu fonts (scripts/tesseract.sh
//! installs fonts-dejavu-core), several sizes, small rotations, salt-and-pepper noise.
#![allow(dead_code)]

use ab_glyph::{Font, FontVec, PxScale, ScaleFont};
use image::{GrayImage, Luma};

/// `ARICHAT_TESSERACT` and `ARICHAT_FONTS_DIR`; when absent, `None` (skip, loudly)
/// unless the run requires them (`CI=true`, or `ARICHAT_REQUIRE_TESSERACT=1` as
/// scripts/test sets), then a panic.
pub fn setup() -> Option<(String, String)> {
    let get = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (get("ARICHAT_TESSERACT"), get("ARICHAT_FONTS_DIR")) {
        (Some(t), Some(f)) => Some((t, f)),
        _ if std::env::var("CI").is_ok_and(|v| v == "true")
            || std::env::var("ARICHAT_REQUIRE_TESSERACT").is_ok_and(|v| v == "1") =>
        {
            panic!("ARICHAT_TESSERACT / ARICHAT_FONTS_DIR not set: run through scripts/test")
        }
        _ => {
            eprintln!(
                "\n*** SKIPPED: ARICHAT_TESSERACT is not set; eval \"$(scripts/tesseract.sh)\"\n"
            );
            None
        }
    }
}

/// One receipt to render.
pub struct Receipt {
    /// The lines, top to bottom.
    pub lines: Vec<String>,
    /// The digits of the total as printed (`1035300` for `10.353,00`).
    pub total_digits: String,
}

/// A receipt of a hardware store whose total is `total_minor` cents, written in the
/// Colombian (`1.234,56`), Mexican (`1,234.56`) or Brazilian (`R$ 1.234,56`) way.
pub fn receipt(n: u64) -> Receipt {
    let total_minor = 120_000 + (n * 7_919_317) % 9_000_000;
    let units = 1 + n % 9;
    let (int, cents) = (total_minor / 100, total_minor % 100);
    let group = |sep: char| {
        let s = int.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(sep);
            }
            out.push(c);
        }
        out
    };
    let (store, total) = match n % 3 {
        0 => (
            "FERRETERIA EL TUBO",
            format!("TOTAL $ {},{cents:02}", group('.')),
        ),
        1 => (
            "TLAPALERIA LA LLAVE",
            format!("TOTAL $ {}.{cents:02}", group(',')),
        ),
        _ => (
            "CASA DOS CANOS LTDA",
            format!("TOTAL R$ {},{cents:02}", group('.')),
        ),
    };
    let lines = vec![
        store.to_owned(),
        format!("NIT 900.{:03}.456-7", n % 1000),
        format!("Fecha: 2026-03-{:02} 15:04", 1 + n % 28),
        format!("Tubo PVC 1/2  x{units}"),
        "Codo 90 x2".to_owned(),
        "IVA incluido".to_owned(),
        total,
        "Gracias por su compra".to_owned(),
    ];
    Receipt {
        lines,
        total_digits: total_minor.to_string(),
    }
}

/// The receipt drawn in black on white with `font` at `px` pixels a line.
pub fn render(receipt: &Receipt, font: &FontVec, px: f32) -> GrayImage {
    let scaled = font.as_scaled(PxScale::from(px));
    let line_h = (scaled.height() + scaled.line_gap()).ceil() * 1.25;
    let margin = px * 1.5;
    let width = receipt
        .lines
        .iter()
        .map(|l| {
            l.chars()
                .map(|c| scaled.h_advance(font.glyph_id(c)))
                .sum::<f32>()
        })
        .fold(0.0, f32::max);
    let w = (width + 2.0 * margin).ceil() as u32;
    let h = (line_h * receipt.lines.len() as f32 + 2.0 * margin).ceil() as u32;
    let mut img = GrayImage::from_pixel(w, h, Luma([255]));
    for (i, line) in receipt.lines.iter().enumerate() {
        let mut x = margin;
        let baseline = margin + line_h * i as f32 + scaled.ascent();
        let mut previous = None;
        for c in line.chars() {
            let id = font.glyph_id(c);
            if let Some(p) = previous {
                x += scaled.kern(p, id);
            }
            let glyph = id.with_scale_and_position(PxScale::from(px), ab_glyph::point(x, baseline));
            if let Some(outlined) = font.outline_glyph(glyph) {
                let b = outlined.px_bounds();
                outlined.draw(|gx, gy, coverage| {
                    let (px_, py_) = (b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32);
                    if px_ >= 0 && py_ >= 0 && (px_ as u32) < w && (py_ as u32) < h {
                        let p = img.get_pixel_mut(px_ as u32, py_ as u32);
                        let ink = (coverage.clamp(0.0, 1.0) * 255.0) as u8;
                        p[0] = p[0].min(255 - ink);
                    }
                });
            }
            x += scaled.h_advance(id);
            previous = Some(id);
        }
    }
    img
}

/// Paper that is not white and pixels flipped at random: `noise` of them (0.03 = 3 %)
/// set to a random gray, the background lifted to light gray.
pub fn add_noise(img: &mut GrayImage, noise: f64, seed: u64) {
    let mut state = seed | 1;
    let mut next = || {
        // xorshift64: reproducible noise without a dependency.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for p in img.pixels_mut() {
        p[0] = p[0].saturating_sub(25);
        if (next() % 10_000) as f64 / 10_000.0 < noise {
            p[0] = (next() % 256) as u8;
        }
    }
}
