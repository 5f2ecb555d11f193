//! Receipts read by Tesseract.
//!
//! # Pipeline
//! 1. Decode (PNG or JPEG), convert to 8-bit grayscale, and despeckle with a 3×3
//!    median.
//! 2. Threshold with Otsu's method (the gray level that best splits the histogram in
//!    two), inverting a dark-background photo so text is black on white.
//! 3. Deskew: the angle in ±[`MAX_SKEW_TENTHS`] (0.5° steps) whose row projection of
//!    the black pixels is sharpest (largest sum of squared row counts: text lines
//!    then fall into few rows), found on at most [`SKEW_SAMPLE`] black pixels; the
//!    gray image is turned back (bilinear, onto a canvas keeping every corner) and
//!    thresholded again.
//! 4. Run the distribution's `tesseract` (`stdin stdout -l spa+por --psm 4`: a single
//!    column of text of varying sizes, as receipts are) on the PNG of the result.
//!
//! Picking the amount is the core's ([`ReceiptText::total`] calls
//! `arichat_core::money::pick_receipt_total`, which also repairs separators OCR
//! misreads).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use arichat_core::money::{pick_receipt_total, Amount, Region};
use image::{DynamicImage, GrayImage, Luma};

use crate::DealsError;

/// The largest skew corrected, in tenths of a degree (receipt photos are rarely more
/// askew; a larger search costs time and finds false angles in tables).
pub const MAX_SKEW_TENTHS: i32 = 60;

/// Black pixels sampled for the skew search: enough for a stable profile, few enough
/// for 25 angles to cost milliseconds.
pub const SKEW_SAMPLE: usize = 60_000;

/// A Tesseract run: which binary, which languages, which page segmentation.
#[derive(Debug, Clone)]
pub struct Tesseract {
    binary: PathBuf,
    languages: String,
    psm: u8,
    preprocess: bool,
}

impl Default for Tesseract {
    fn default() -> Self {
        Tesseract {
            binary: PathBuf::from("tesseract"),
            languages: "spa+por".to_owned(),
            psm: 4,
            preprocess: true,
        }
    }
}

/// What Tesseract read from a receipt.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptText {
    /// The text, lines as Tesseract found them.
    pub text: String,
    /// The skew corrected, in tenths of a degree (counter-clockwise positive).
    pub skew_tenths: i32,
}

impl ReceiptText {
    /// The receipt's total as written in `region`: the amount near TOTAL / VALOR PAGO /
    /// MONTO / VALOR (never SUBTOTAL), separators misread by OCR repaired, picked by
    /// the core's [`pick_receipt_total`] — the same rule `arichat deal --receipt-text`
    /// and every binding use.
    pub fn total(&self, region: Region) -> Option<Amount> {
        pick_receipt_total(&self.text, region)
    }
}

impl Tesseract {
    /// `tesseract` on `PATH`, Spanish and Portuguese, page segmentation 4.
    pub fn new() -> Self {
        Self::default()
    }

    /// Another binary (`ARICHAT_TESSERACT` from scripts/tesseract.sh, say).
    pub fn with_binary(mut self, binary: impl Into<PathBuf>) -> Self {
        self.binary = binary.into();
        self
    }

    /// Other languages, Tesseract's `-l` (`spa`, `spa+por+eng`).
    pub fn with_languages(mut self, languages: impl Into<String>) -> Self {
        self.languages = languages.into();
        self
    }

    /// Skips the preprocessing (to measure what it is worth).
    pub fn without_preprocessing(mut self) -> Self {
        self.preprocess = false;
        self
    }

    /// Reads an encoded image (PNG or JPEG).
    ///
    /// # Errors
    /// `invalid_image` when it does not decode; those of [`read_image`](Self::read_image).
    pub fn read(&self, encoded: &[u8]) -> Result<ReceiptText, DealsError> {
        let image = image::load_from_memory(encoded)
            .map_err(|e| DealsError::InvalidImage(e.to_string()))?;
        self.read_image(&image)
    }

    /// Preprocesses `image` and runs Tesseract on it.
    ///
    /// # Errors
    /// `ocr_unavailable` when the binary cannot be started; `ocr_failed` when it
    /// fails (a language without its data, say).
    pub fn read_image(&self, image: &DynamicImage) -> Result<ReceiptText, DealsError> {
        let (gray, skew_tenths) = if self.preprocess {
            let p = preprocess(image);
            (p.image, p.skew_tenths)
        } else {
            (image.to_luma8(), 0)
        };
        let mut png = Vec::new();
        DynamicImage::ImageLuma8(gray)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|e| DealsError::OcrFailed(format!("encoding the page: {e}")))?;
        let text = self.run(&png)?;
        Ok(ReceiptText { text, skew_tenths })
    }

    fn run(&self, png: &[u8]) -> Result<String, DealsError> {
        let mut child = Command::new(&self.binary)
            .args(["stdin", "stdout", "-l", &self.languages, "--psm"])
            .arg(self.psm.to_string())
            .args(["--dpi", "300"])
            // One thread per run: callers run receipts in parallel, and Tesseract's
            // OpenMP threads only fight them for the cores.
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| DealsError::OcrUnavailable(format!("{}: {e}", self.binary.display())))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(png)
                .map_err(|e| DealsError::OcrFailed(format!("writing the page: {e}")))?;
        }
        let out = child
            .wait_with_output()
            .map_err(|e| DealsError::OcrFailed(e.to_string()))?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            let last = err
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            return Err(DealsError::OcrFailed(format!("{}: {last}", out.status)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// A preprocessed page.
#[derive(Debug, Clone)]
pub struct Preprocessed {
    /// Black text (0) on white (255).
    pub image: GrayImage,
    /// The skew found and corrected, tenths of a degree.
    pub skew_tenths: i32,
}

/// Grayscale, despeckle, Otsu threshold, deskew (see the module docs).
pub fn preprocess(image: &DynamicImage) -> Preprocessed {
    let gray = despeckle(&image.to_luma8());
    let t = otsu(&gray);
    let dark = gray.pixels().filter(|p| p[0] <= t).count();
    // Mostly dark: a light-on-dark photo; text must be the minority colour.
    let inverted = dark * 2 > (gray.width() as usize) * (gray.height() as usize);
    let binarize = |g: &GrayImage| {
        GrayImage::from_fn(g.width(), g.height(), |x, y| {
            let ink = (g.get_pixel(x, y)[0] <= t) != inverted;
            Luma([if ink { 0 } else { 255 }])
        })
    };
    let binary = binarize(&gray);
    let skew_tenths = skew(&binary);
    let image = if skew_tenths == 0 {
        binary
    } else {
        // Turned in gray and thresholded after: a binary page turned by nearest
        // neighbour has jagged strokes Tesseract misreads.
        let paper = if inverted { 0 } else { 255 };
        binarize(&rotate(&gray, -(skew_tenths as f32) / 10.0, paper))
    };
    Preprocessed { image, skew_tenths }
}

/// A 3×3 median: removes isolated specks (sensor noise, dust) and keeps strokes.
fn despeckle(gray: &GrayImage) -> GrayImage {
    let (w, h) = (gray.width() as i64, gray.height() as i64);
    GrayImage::from_fn(gray.width(), gray.height(), |x, y| {
        let mut v = [0u8; 9];
        let mut k = 0;
        for dy in -1..=1 {
            for dx in -1..=1 {
                let sx = (x as i64 + dx).clamp(0, w - 1) as u32;
                let sy = (y as i64 + dy).clamp(0, h - 1) as u32;
                v[k] = gray.get_pixel(sx, sy)[0];
                k += 1;
            }
        }
        Luma([*v.select_nth_unstable(4).1])
    })
}

/// Otsu's threshold: pixels at or below it are foreground.
fn otsu(gray: &GrayImage) -> u8 {
    let mut hist = [0u64; 256];
    for p in gray.pixels() {
        hist[p[0] as usize] += 1;
    }
    let total: u64 = hist.iter().sum();
    let sum_all: u64 = hist.iter().enumerate().map(|(i, &c)| i as u64 * c).sum();
    let (mut w0, mut sum0) = (0u64, 0u64);
    let (mut best, mut best_t) = (0f64, 127u8);
    for (t, &c) in hist.iter().enumerate() {
        w0 += c;
        sum0 += t as u64 * c;
        let w1 = total - w0;
        if w0 == 0 || w1 == 0 {
            continue;
        }
        let m0 = sum0 as f64 / w0 as f64;
        let m1 = (sum_all - sum0) as f64 / w1 as f64;
        let between = w0 as f64 * w1 as f64 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

/// The skew of the text lines in tenths of a degree, counter-clockwise positive (see
/// the module docs).
pub fn skew(binary: &GrayImage) -> i32 {
    let black: Vec<(f32, f32)> = binary
        .enumerate_pixels()
        .filter(|(_, _, p)| p[0] == 0)
        .map(|(x, y, _)| (x as f32, y as f32))
        .collect();
    if black.len() < 50 {
        return 0;
    }
    let step = black.len().div_ceil(SKEW_SAMPLE);
    let sample: Vec<(f32, f32)> = black.into_iter().step_by(step).collect();
    let diag = (binary.width() as f32).hypot(binary.height() as f32) as usize + 2;
    let mut rows = vec![0u32; 2 * diag + 1];
    let mut best = (0u64, 0i32);
    for tenths in (-MAX_SKEW_TENTHS..=MAX_SKEW_TENTHS).step_by(5) {
        let (sin, cos) = (tenths as f32 / 10.0).to_radians().sin_cos();
        rows.iter_mut().for_each(|r| *r = 0);
        for &(x, y) in &sample {
            // The row of (x, y) once the page is turned back by the angle. Image y
            // grows downwards, so a counter-clockwise skew raises the right side.
            let row = y * cos + x * sin;
            rows[(row as isize + diag as isize) as usize] += 1;
        }
        let score: u64 = rows.iter().map(|&c| u64::from(c) * u64::from(c)).sum();
        // Ties keep the smaller angle (the loop meets 0 before ±).
        if score > best.0 || (score == best.0 && tenths.abs() < best.1.abs()) {
            best = (score, tenths);
        }
    }
    best.1
}

/// `image` turned by `degrees` (counter-clockwise positive) about its centre, bilinear,
/// onto a canvas of `paper` large enough to hold all of it.
pub fn rotate(image: &GrayImage, degrees: f32, paper: u8) -> GrayImage {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (w, h) = (image.width() as f32, image.height() as f32);
    let nw = (w * cos.abs() + h * sin.abs()).ceil() as u32;
    let nh = (w * sin.abs() + h * cos.abs()).ceil() as u32;
    let at = |x: i64, y: i64| -> f32 {
        if x < 0 || y < 0 || x >= i64::from(image.width()) || y >= i64::from(image.height()) {
            f32::from(paper)
        } else {
            f32::from(image.get_pixel(x as u32, y as u32)[0])
        }
    };
    GrayImage::from_fn(nw, nh, |x, y| {
        let (dx, dy) = (x as f32 - nw as f32 / 2.0, y as f32 - nh as f32 / 2.0);
        // The source of this pixel: the destination turned back. With y downwards a
        // counter-clockwise turn raises the right side.
        let sx = dx * cos - dy * sin + w / 2.0;
        let sy = dx * sin + dy * cos + h / 2.0;
        let (x0, y0) = (sx.floor(), sy.floor());
        let (fx, fy) = (sx - x0, sy - y0);
        let (x0, y0) = (x0 as i64, y0 as i64);
        let v = at(x0, y0) * (1.0 - fx) * (1.0 - fy)
            + at(x0 + 1, y0) * fx * (1.0 - fy)
            + at(x0, y0 + 1) * (1.0 - fx) * fy
            + at(x0 + 1, y0 + 1) * fx * fy;
        Luma([v.round().clamp(0.0, 255.0) as u8])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three thick horizontal bars, like text lines.
    fn lines(w: u32, h: u32) -> GrayImage {
        GrayImage::from_fn(w, h, |_, y| {
            if [60, 120, 180].iter().any(|&r| (r..r + 8).contains(&y)) {
                Luma([0])
            } else {
                Luma([255])
            }
        })
    }

    #[test]
    fn the_skew_of_turned_lines_is_found_and_undone() {
        let page = lines(400, 240);
        assert_eq!(skew(&page), 0);
        for tenths in [-40, -15, 25, 50] {
            let turned = rotate(&page, tenths as f32 / 10.0, 255);
            let found = skew(&turned);
            assert!((found - tenths).abs() <= 5, "{tenths}: {found}");
            let back = preprocess(&DynamicImage::ImageLuma8(turned));
            assert!(skew(&back.image).abs() <= 5, "{tenths}");
        }
    }

    #[test]
    fn otsu_splits_ink_from_paper_and_a_dark_page_is_inverted() {
        let page = GrayImage::from_fn(100, 100, |_, y| Luma([if y < 10 { 40 } else { 210 }]));
        let p = preprocess(&DynamicImage::ImageLuma8(page.clone()));
        assert_eq!(p.image.get_pixel(5, 5)[0], 0);
        assert_eq!(p.image.get_pixel(5, 50)[0], 255);
        let mut dark = page;
        image::imageops::invert(&mut dark);
        let p = preprocess(&DynamicImage::ImageLuma8(dark));
        assert_eq!(p.image.get_pixel(5, 5)[0], 0);
        assert_eq!(p.image.get_pixel(5, 50)[0], 255);
    }

    #[test]
    fn total_prefers_total_over_subtotal_and_monto() {
        let total = |text: &str| {
            ReceiptText {
                text: text.to_owned(),
                skew_tenths: 0,
            }
            .total(Region::Co)
            .map(|a| a.minor)
        };
        assert_eq!(total("MONTO 5\nSUBTOTAL 4\nTOTAL 9"), Some(900));
        assert_eq!(total("MONTO 5\nSUB-TOTAL 4"), Some(500));
        assert_eq!(total("nada 5"), None);
    }
}
