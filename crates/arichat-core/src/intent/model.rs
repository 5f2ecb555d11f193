//! The statistical half of the hybrid classifier: a multinomial logistic regression
//! over hashed features, with a second head for the language.
//!
//! Weights are stored as one signed byte per bucket and class with a scale per class,
//! so the model ships inside the library and runs on a phone: the intent head has
//! `2^bits` buckets of 9 bytes (2.25 MiB at the built-in 18 bits), the language head,
//! which needs far fewer, `2^lang_bits` buckets of 3 bytes (192 KiB at 16 bits) read
//! at the low `lang_bits` bits of the same feature hashes. Logits are summed in
//! integers and scaled once; probabilities are calibrated by a temperature fitted on
//! the dev split.
//!
//! The file format (little endian): `b"ARIM"`, `u32` version (2), `u32` bits, `u32`
//! lang_bits, `f32` intent temperature, `f32` language temperature, 12 × `f32` scales,
//! 12 × `f32` biases, then `2^bits × 9` `i8` intent weights and `2^lang_bits × 3` `i8`
//! language weights, bucket-major. Version 1 (one table of `2^bits × 12` bytes, both
//! heads in each bucket, no `lang_bits`) is still read.

use std::sync::OnceLock;

use super::{Intent, Language};
use crate::CoreError;

/// Intent classes, in [`Intent::ALL`] order.
pub(crate) const INTENTS: usize = 9;
/// Language classes: es, pt, en (in [`Language::ALL`] order).
pub(crate) const LANGS: usize = 3;
/// Outputs per bucket.
pub(crate) const OUTPUTS: usize = INTENTS + LANGS;
/// Bytes per bucket in memory: a bucket's intent weights, then the language weights
/// of the bucket's low `lang_bits` bits, padded to 16, so a row never straddles a
/// cache line and sums in vector registers (the file keeps each head once).
const ROW: usize = 16;

const MAGIC: &[u8; 4] = b"ARIM";
const VERSION: u32 = 2;
/// The first format: both heads in one table of `2^bits` buckets.
const VERSION_SHARED: u32 = 1;

/// The built-in model, trained from `data/intents/` by
/// `cargo run --release -p arichat-core --example train_intents`.
static BUILTIN: &[u8] = include_bytes!("model.bin");

/// A trained intent and language model.
#[derive(Clone)]
pub struct IntentModel {
    pub(crate) bits: u32,
    /// Hash bits of the language head (at most `bits`).
    pub(crate) lang_bits: u32,
    /// One row of `OUTPUTS` weights (then zeros) per bucket.
    pub(crate) rows: Vec<[i8; ROW]>,
    pub(crate) scales: [f32; OUTPUTS],
    pub(crate) bias: [f32; OUTPUTS],
    pub(crate) temperature: f32,
    pub(crate) lang_temperature: f32,
}

impl std::fmt::Debug for IntentModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntentModel")
            .field("bits", &self.bits)
            .field("lang_bits", &self.lang_bits)
            .field("temperature", &self.temperature)
            .field("lang_temperature", &self.lang_temperature)
            .finish_non_exhaustive()
    }
}

/// Calibrated probabilities for one message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// Probability of each intent, in [`Intent::ALL`] order.
    pub intents: [f32; INTENTS],
    /// Probability of es, pt, en.
    pub languages: [f32; LANGS],
}

impl Prediction {
    /// The most probable intent and its probability.
    pub fn best(&self) -> (Intent, f32) {
        let (i, p) = argmax(&self.intents);
        (Intent::ALL[i], p)
    }

    /// Probability of `intent`.
    pub fn probability(&self, intent: Intent) -> f32 {
        self.intents[intent.index()]
    }

    /// The most probable language and its probability.
    pub fn language(&self) -> (Language, f32) {
        let (i, p) = argmax(&self.languages);
        (Language::ALL[i], p)
    }
}

fn argmax(values: &[f32]) -> (usize, f32) {
    values.iter().copied().enumerate().fold(
        (0, f32::MIN),
        |best, (i, p)| if p > best.1 { (i, p) } else { best },
    )
}

impl IntentModel {
    /// The model shipped with the library (parsed once per process).
    pub fn builtin() -> &'static IntentModel {
        static MODEL: OnceLock<IntentModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            // A unit test proves the bundled bytes parse; an empty model (every
            // probability equal, so every result uncertain) is the fallback.
            IntentModel::from_bytes(BUILTIN).unwrap_or_else(|_| IntentModel::empty(10, 10))
        })
    }

    pub(crate) fn empty(bits: u32, lang_bits: u32) -> Self {
        IntentModel {
            bits,
            lang_bits: lang_bits.min(bits),
            rows: vec![[0; ROW]; 1usize << bits],
            scales: [0.0; OUTPUTS],
            bias: [0.0; OUTPUTS],
            temperature: 1.0,
            lang_temperature: 1.0,
        }
    }

    /// Number of hash bits (the model has `2^bits` buckets).
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// Number of hash bits of the language head (`2^lang_bits` buckets).
    pub fn lang_bits(&self) -> u32 {
        self.lang_bits
    }

    /// Puts the language weights of bucket `b` (below `2^lang_bits`) into the
    /// language lanes of every row whose low `lang_bits` bits are `b`.
    pub(crate) fn spread_language(&mut self) {
        let lang_mask = (1usize << self.lang_bits) - 1;
        for i in 0..self.rows.len() {
            let from = self.rows[i & lang_mask];
            self.rows[i][INTENTS..OUTPUTS].copy_from_slice(&from[INTENTS..OUTPUTS]);
        }
    }

    /// Parses a model written by [`IntentModel::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CoreError> {
        let invalid = |reason: &str| CoreError::InvalidModel {
            reason: reason.to_owned(),
        };
        let mut r = Reader { bytes, at: 0 };
        if r.take(4).ok_or_else(|| invalid("too short"))? != MAGIC {
            return Err(invalid("not an arichat intent model"));
        }
        let version = r.u32().ok_or_else(|| invalid("too short"))?;
        if version != VERSION && version != VERSION_SHARED {
            return Err(invalid(&format!(
                "version {version}, this library reads {VERSION_SHARED} and {VERSION}"
            )));
        }
        let bits = r.u32().ok_or_else(|| invalid("too short"))?;
        if !(8..=22).contains(&bits) {
            return Err(invalid("bits must be in 8..=22"));
        }
        let lang_bits = match version {
            VERSION_SHARED => bits,
            _ => r.u32().ok_or_else(|| invalid("too short"))?,
        };
        if !(8..=bits).contains(&lang_bits) {
            return Err(invalid("lang_bits must be in 8..=bits"));
        }
        let mut floats = [0f32; 2 + 2 * OUTPUTS];
        for f in &mut floats {
            *f = r.f32().ok_or_else(|| invalid("too short"))?;
            if !f.is_finite() {
                return Err(invalid("a scale, bias or temperature is not finite"));
            }
        }
        let mut model = IntentModel::empty(bits, lang_bits);
        let short = || invalid("too short for its weights");
        if version == VERSION_SHARED {
            let weights = r.take((1usize << bits) * OUTPUTS).ok_or_else(short)?;
            for (row, w) in model.rows.iter_mut().zip(weights.chunks_exact(OUTPUTS)) {
                for (r, &b) in row.iter_mut().zip(w) {
                    *r = b as i8;
                }
            }
        } else {
            let intents = r.take((1usize << bits) * INTENTS).ok_or_else(short)?;
            let langs = r.take((1usize << lang_bits) * LANGS).ok_or_else(short)?;
            for (row, w) in model.rows.iter_mut().zip(intents.chunks_exact(INTENTS)) {
                for (r, &b) in row.iter_mut().zip(w) {
                    *r = b as i8;
                }
            }
            for (row, w) in model.rows.iter_mut().zip(langs.chunks_exact(LANGS)) {
                for (r, &b) in row[INTENTS..].iter_mut().zip(w) {
                    *r = b as i8;
                }
            }
            model.spread_language();
        }
        if r.at != bytes.len() {
            return Err(invalid("trailing bytes"));
        }
        model.scales.copy_from_slice(&floats[2..2 + OUTPUTS]);
        model.bias.copy_from_slice(&floats[2 + OUTPUTS..]);
        if floats[0] <= 0.0 || floats[1] <= 0.0 {
            return Err(invalid("temperatures must be positive"));
        }
        model.temperature = floats[0];
        model.lang_temperature = floats[1];
        Ok(model)
    }

    /// The model in its file format (the current version).
    pub fn to_bytes(&self) -> Vec<u8> {
        let langs = 1usize << self.lang_bits;
        let mut out = Vec::with_capacity(self.rows.len() * INTENTS + langs * LANGS + 128);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&self.lang_bits.to_le_bytes());
        out.extend_from_slice(&self.temperature.to_le_bytes());
        out.extend_from_slice(&self.lang_temperature.to_le_bytes());
        for f in self.scales.iter().chain(&self.bias) {
            out.extend_from_slice(&f.to_le_bytes());
        }
        for row in &self.rows {
            out.extend(row[..INTENTS].iter().map(|&w| w as u8));
        }
        for row in &self.rows[..langs] {
            out.extend(row[INTENTS..OUTPUTS].iter().map(|&w| w as u8));
        }
        out
    }

    /// Starts loading the row of `bucket` into cache: the rows are scattered over
    /// megabytes, and a message's hundred or so rows loaded while the message is still
    /// being read cost less than loaded by [`logits`](Self::logits) one after another
    /// (hybrid classification 5–8 % faster).
    #[inline]
    pub(crate) fn touch(&self, bucket: u32) {
        if let Some(row) = self.rows.get(bucket as usize) {
            crate::prefetch::prefetch(row);
        }
    }

    /// Raw (uncalibrated) logits of a message's feature buckets.
    pub(crate) fn logits(&self, features: &[u32]) -> [f32; OUTPUTS] {
        // Sums of at most 256 weights of ±127 fit in i16 (16 lanes: one vector
        // register); each chunk's sums then join the i32 totals.
        let mut acc = [0i32; ROW];
        for chunk in features.chunks(256) {
            let mut part = [0i16; ROW];
            for &f in chunk {
                if let Some(row) = self.rows.get(f as usize) {
                    for (a, &w) in part.iter_mut().zip(row) {
                        *a += i16::from(w);
                    }
                }
            }
            for (a, p) in acc.iter_mut().zip(part) {
                *a += i32::from(p);
            }
        }
        let v = 1.0 / (features.len().max(1) as f32).sqrt();
        let mut out = [0f32; OUTPUTS];
        for c in 0..OUTPUTS {
            out[c] = self.bias[c] + v * self.scales[c] * acc[c] as f32;
        }
        out
    }

    /// Calibrated probabilities of a message's feature buckets.
    pub(crate) fn predict(&self, features: &[u32]) -> Prediction {
        let logits = self.logits(features);
        let mut intents = [0f32; INTENTS];
        let mut languages = [0f32; LANGS];
        softmax(&logits[..INTENTS], self.temperature, &mut intents);
        softmax(&logits[INTENTS..], self.lang_temperature, &mut languages);
        Prediction { intents, languages }
    }
}

pub(crate) fn softmax(logits: &[f32], temperature: f32, out: &mut [f32]) {
    let max = logits.iter().copied().fold(f32::MIN, f32::max);
    let mut sum = 0.0;
    for (o, &l) in out.iter_mut().zip(logits) {
        *o = ((l - max) / temperature).exp();
        sum += *o;
    }
    for o in out.iter_mut() {
        *o /= sum;
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn f32(&mut self) -> Option<f32> {
        Some(f32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_round_trips() {
        let model = IntentModel::from_bytes(BUILTIN).unwrap();
        assert_eq!(model.to_bytes(), BUILTIN);
        assert!(BUILTIN.len() <= 3 * 1024 * 1024);
    }

    #[test]
    fn language_lanes_repeat_the_language_head() {
        let model = IntentModel::builtin();
        assert!(model.lang_bits() < model.bits());
        let mask = (1usize << model.lang_bits()) - 1;
        for (i, row) in model.rows.iter().enumerate().step_by(977) {
            assert_eq!(row[INTENTS..], model.rows[i & mask][INTENTS..], "row {i}");
        }
        assert!(model.rows.iter().any(|r| r[INTENTS..OUTPUTS] != [0; LANGS]));
    }

    /// The first format (both heads in every bucket) still loads, to the same rows.
    #[test]
    fn version_one_files_are_read() {
        let mut model = IntentModel::empty(8, 8);
        for (i, row) in model.rows.iter_mut().enumerate() {
            for (c, w) in row[..OUTPUTS].iter_mut().enumerate() {
                *w = ((i * 31 + c * 7) % 255) as u8 as i8;
            }
        }
        model.scales = [0.5; OUTPUTS];
        model.temperature = 1.5;
        let mut v1 = MAGIC.to_vec();
        v1.extend_from_slice(&VERSION_SHARED.to_le_bytes());
        v1.extend_from_slice(&8u32.to_le_bytes());
        for f in [1.5f32, 1.0].iter().chain(&model.scales).chain(&model.bias) {
            v1.extend_from_slice(&f.to_le_bytes());
        }
        for row in &model.rows {
            v1.extend(row[..OUTPUTS].iter().map(|&w| w as u8));
        }
        let read = IntentModel::from_bytes(&v1).unwrap();
        assert_eq!((read.bits(), read.lang_bits()), (8, 8));
        assert_eq!(read.rows, model.rows);
        let features = [3, 77, 200];
        assert_eq!(read.predict(&features), model.predict(&features));
        // Written again in the current format, it reads back the same.
        let again = IntentModel::from_bytes(&read.to_bytes()).unwrap();
        assert_eq!(again.rows, model.rows);
    }

    #[test]
    fn bad_bytes_are_typed_errors() {
        for bytes in [
            &b""[..],
            b"ARIM",
            b"XXXX\x01\0\0\0",
            &BUILTIN[..BUILTIN.len() - 1],
        ] {
            let err = IntentModel::from_bytes(bytes).unwrap_err();
            assert_eq!(err.code(), "invalid_model");
        }
        // A language head wider than the intent head.
        let mut wide = BUILTIN.to_vec();
        wide[12..16].copy_from_slice(&19u32.to_le_bytes());
        let err = IntentModel::from_bytes(&wide).unwrap_err();
        assert_eq!(err.code(), "invalid_model");
        assert!(err.to_string().contains("lang_bits"), "{err}");
        let mut extra = BUILTIN.to_vec();
        extra.push(0);
        assert!(IntentModel::from_bytes(&extra).is_err());
    }

    #[test]
    fn probabilities_sum_to_one() {
        let p = IntentModel::builtin().predict(&[1, 2, 3]);
        assert!((p.intents.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        assert!((p.languages.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        assert_eq!(IntentModel::builtin().predict(&[]).intents.len(), INTENTS);
    }
}
