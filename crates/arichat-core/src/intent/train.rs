//! Training the intent model, reproducibly.
//!
//! Adagrad over the hashed features, a fixed shuffle (xorshift from a seed), and only
//! `+ - × ÷ √` in `f64` plus an `exp` written out below, so the same corpus gives the
//! same bytes on every machine: the committed model is checked against a fresh
//! training run by a test.

use super::corpus::{LabelledMessage, Split};
use super::hybrid::Featurizer;
use super::model::{softmax, IntentModel, INTENTS, OUTPUTS};
use super::{Intent, Language};

/// How to train an [`IntentModel`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// Hash bits of the intent head: `2^bits` buckets of 9 bytes (18 → 2.25 MiB).
    pub bits: u32,
    /// Hash bits of the language head: `2^lang_bits` buckets of 3 bytes, read at the
    /// low bits of the same hashes (16 → 192 KiB; at most `bits`). Telling three
    /// languages apart needs far fewer buckets than nine intents.
    pub lang_bits: u32,
    /// Passes over the training split.
    pub epochs: u32,
    /// Adagrad step size.
    pub learning_rate: f64,
    /// L2 penalty per update.
    pub l2: f64,
    /// Loss weight of an `opt_out` example (missing one is the costly error).
    pub opt_out_weight: f64,
    /// Shuffle seed.
    pub seed: u64,
    /// Independent runs (shuffles from `seed`, `seed + 1`, …) whose weights are
    /// averaged: SGD stopped after a fixed number of epochs keeps some of its
    /// shuffle's noise, and the average keeps less (dev: 0.938 with one run, 0.944
    /// with three).
    pub runs: u32,
    /// After the temperatures are fitted on `dev` with a model trained on `train`
    /// alone, train the shipped weights again on `train` and `dev` together (keeping
    /// those temperatures): every choice is made with `dev` held out, and the final
    /// weights still learn from it. `test` is never read either way.
    pub refit_with_dev: bool,
    /// Opt-outs joined to another message (and as many pairs of other messages), per
    /// opt-out of a split, added to what the weights learn from (not to what the
    /// temperatures are fitted on): see `joined_messages`. 0 adds none.
    pub joined_opt_outs: f64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            bits: 18,
            lang_bits: 16,
            epochs: 20,
            learning_rate: 0.25,
            l2: 1e-6,
            opt_out_weight: 2.0,
            seed: 0,
            runs: 3,
            refit_with_dev: true,
            joined_opt_outs: 0.0,
        }
    }
}

struct Example {
    features: Vec<u32>,
    intent: usize,
    language: Option<usize>,
    weight: f64,
}

impl IntentModel {
    /// Trains on the `train` split of `corpus` and calibrates on its `dev` split (then,
    /// with [`TrainOptions::refit_with_dev`], trains the weights again on both); the
    /// `test` split is never read.
    pub fn train(corpus: &[LabelledMessage], options: &TrainOptions) -> IntentModel {
        let featurizer = Featurizer::new(options.bits);
        let examples = |split: Split| -> Vec<Example> {
            corpus
                .iter()
                .filter(|m| m.split() == split)
                .map(|m| Example {
                    features: featurizer.features(&m.text),
                    intent: m.intent.index(),
                    language: (m.language != Language::Unknown).then(|| m.language.index()),
                    weight: if m.intent == Intent::OptOut {
                        options.opt_out_weight
                    } else {
                        1.0
                    },
                })
                .collect()
        };
        let joined = |split: Split| -> Vec<Example> {
            let messages: Vec<&LabelledMessage> =
                corpus.iter().filter(|m| m.split() == split).collect();
            joined_messages(&messages, options.joined_opt_outs, options.seed)
                .into_iter()
                .map(|(text, language, intent)| Example {
                    features: featurizer.features(&text),
                    intent: intent.index(),
                    language: Some(language.index()),
                    weight: 1.0,
                })
                .collect()
        };
        let train = examples(Split::Train);
        let dev = examples(Split::Dev);
        let train_joined = joined(Split::Train);
        let mut model = fit(&[&train, &train_joined], options);
        let temperature = fit_temperature(&model, &dev, 0..INTENTS, |e| Some(e.intent));
        let lang_temperature = fit_temperature(&model, &dev, INTENTS..OUTPUTS, |e| e.language);
        if options.refit_with_dev {
            let dev_joined = joined(Split::Dev);
            model = fit(&[&train, &train_joined, &dev, &dev_joined], options);
        }
        model.temperature = temperature;
        model.lang_temperature = lang_temperature;
        model
    }
}

/// Messages that say two things, built from a split's own and labelled by the guide's
/// precedence: for each opt-out taken, one opt-out joined to a message of another
/// label in the same language (before or after it: `opt_out`), and one pair of two
/// other messages (the higher label), so a joined message is not by itself a cue for
/// `opt_out`. Writers seldom put a stop beside another request; customers do ("caro
/// demais, descadastra", "how much is the 5G plan? and pls stop the 8am texts",
/// "fechado, depois me descadastra"). `per_opt_out` opt-outs are taken per opt-out of
/// the split; every choice (partner, order, joiner) comes from `seed`, so training
/// stays reproducible.
fn joined_messages(
    messages: &[&LabelledMessage],
    per_opt_out: f64,
    seed: u64,
) -> Vec<(String, Language, Intent)> {
    const JOINERS: [&str; 5] = [". ", ", ", " ", "\n", "! "];
    let opt_outs: Vec<&LabelledMessage> = messages
        .iter()
        .copied()
        .filter(|m| m.intent == Intent::OptOut && m.language != Language::Unknown)
        .collect();
    let others = |language: Language| -> Vec<&LabelledMessage> {
        messages
            .iter()
            .copied()
            .filter(|m| m.intent != Intent::OptOut && m.language == language)
            .collect()
    };
    let pools = [Language::Es, Language::Pt, Language::En].map(|l| (l, others(l)));
    let n = (opt_outs.len() as f64 * per_opt_out.max(0.0)).round() as usize;
    let mut rng = seed ^ 0x2545_f491_4f6c_dd1d;
    let mut next = || xorshift(&mut rng);
    let mut out = Vec::with_capacity(2 * n);
    for k in 0..n {
        let stop = opt_outs[k % opt_outs.len()];
        let Some((_, pool)) = pools
            .iter()
            .find(|(l, p)| *l == stop.language && !p.is_empty())
        else {
            continue;
        };
        for first in [stop, pool[(next() % pool.len() as u64) as usize]] {
            let r = next();
            let second = pool[(r % pool.len() as u64) as usize];
            let joiner = JOINERS[((r >> 32) % JOINERS.len() as u64) as usize];
            let (a, b) = if (r >> 40) & 1 == 0 {
                (first, second)
            } else {
                (second, first)
            };
            let intent = if b.intent.precedence() > a.intent.precedence() {
                b.intent
            } else {
                a.intent
            };
            out.push((
                format!("{}{joiner}{}", a.text, b.text),
                stop.language,
                intent,
            ));
        }
    }
    out
}

/// The next state of a xorshift64 generator (the shuffles and the joined messages).
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// The average of `options.runs` Adagrad runs over the examples of `parts`, quantized.
fn fit(parts: &[&[Example]], options: &TrainOptions) -> IntentModel {
    let train: Vec<&Example> = parts.iter().flat_map(|p| p.iter()).collect();
    let runs = options.runs.max(1);
    let mut w = vec![0f64; (1usize << options.bits) * OUTPUTS];
    let mut bias = [0f64; OUTPUTS];
    for run in 0..runs {
        let (rw, rb) = sgd(&train, options, options.seed.wrapping_add(u64::from(run)));
        for (a, b) in w.iter_mut().zip(&rw) {
            *a += b / f64::from(runs);
        }
        for (a, b) in bias.iter_mut().zip(&rb) {
            *a += b / f64::from(runs);
        }
    }
    quantize(options.bits, lang_bits(options), &w, &bias)
}

/// The language head's bits: as asked, at most the intent head's.
fn lang_bits(options: &TrainOptions) -> u32 {
    options.lang_bits.min(options.bits)
}

/// One run of Adagrad over `train` with the shuffle of `seed`: weights and biases.
fn sgd(train: &[&Example], options: &TrainOptions, seed: u64) -> (Vec<f64>, [f64; OUTPUTS]) {
    let buckets = 1usize << options.bits;
    let mut w = vec![0f64; buckets * OUTPUTS];
    let mut g = vec![0f64; buckets * OUTPUTS];
    let mut bias = [0f64; OUTPUTS];
    let mut gb = [0f64; OUTPUTS];
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = seed ^ 0x9e37_79b9_7f4a_7c15;
    let lang_mask = (1u32 << lang_bits(options)) - 1;
    let eps = 1e-8;
    for _ in 0..options.epochs {
        for i in (1..order.len()).rev() {
            order.swap(i, (xorshift(&mut rng) % (i as u64 + 1)) as usize);
        }
        for &e in &order {
            let ex = train[e];
            let v = 1.0 / (ex.features.len().max(1) as f64).sqrt();
            let mut logits = bias;
            for &f in &ex.features {
                let (at, lang_at) = (f as usize * OUTPUTS, (f & lang_mask) as usize * OUTPUTS);
                for c in 0..INTENTS {
                    logits[c] += v * w[at + c];
                }
                for c in INTENTS..OUTPUTS {
                    logits[c] += v * w[lang_at + c];
                }
            }
            let mut grad = [0f64; OUTPUTS];
            det_softmax(&logits[..INTENTS], &mut grad[..INTENTS]);
            grad[ex.intent] -= 1.0;
            for x in &mut grad[..INTENTS] {
                *x *= ex.weight;
            }
            if let Some(lang) = ex.language {
                det_softmax(&logits[INTENTS..], &mut grad[INTENTS..]);
                grad[INTENTS + lang] -= 1.0;
            }
            for c in 0..OUTPUTS {
                let d = grad[c];
                gb[c] += d * d;
                bias[c] -= options.learning_rate * d / (gb[c] + eps).sqrt();
            }
            for &f in &ex.features {
                let (at, lang_at) = (f as usize * OUTPUTS, (f & lang_mask) as usize * OUTPUTS);
                for (c, grad) in grad.iter().enumerate() {
                    // Language weights live in the rows of the low `lang_bits` bits.
                    let i = if c < INTENTS { at + c } else { lang_at + c };
                    let d = grad * v + options.l2 * w[i];
                    g[i] += d * d;
                    w[i] -= options.learning_rate * d / (g[i] + eps).sqrt();
                }
            }
        }
    }
    (w, bias)
}

/// One signed byte per weight, scaled per output. The language outputs are read from
/// the first `2^lang_bits` rows only (the others were never trained).
fn quantize(bits: u32, lang_bits: u32, w: &[f64], bias: &[f64; OUTPUTS]) -> IntentModel {
    let mut model = IntentModel::empty(bits, lang_bits);
    #[allow(clippy::needless_range_loop)] // `c` strides through `w` too
    for c in 0..OUTPUTS {
        let rows = if c < INTENTS {
            1usize << bits
        } else {
            1usize << lang_bits
        };
        let w = &w[..rows * OUTPUTS];
        let max = w
            .iter()
            .skip(c)
            .step_by(OUTPUTS)
            .fold(0f64, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        model.scales[c] = scale as f32;
        model.bias[c] = bias[c] as f32;
        for (row, x) in model.rows.iter_mut().zip(w.iter().skip(c).step_by(OUTPUTS)) {
            row[c] = (x / scale).round().clamp(-127.0, 127.0) as i8;
        }
    }
    model.spread_language();
    model
}

/// The temperature in 0.25..=4 (steps of 0.05) with the least negative log-likelihood
/// on `dev` (1 when `dev` is empty).
fn fit_temperature(
    model: &IntentModel,
    dev: &[Example],
    outputs: std::ops::Range<usize>,
    label: impl Fn(&Example) -> Option<usize>,
) -> f32 {
    let logits: Vec<([f32; OUTPUTS], usize)> = dev
        .iter()
        .filter_map(|e| Some((model.logits(&e.features), label(e)?)))
        .collect();
    if logits.is_empty() {
        return 1.0;
    }
    let mut best = (1.0f32, f64::MAX);
    let mut probs = vec![0f32; outputs.len()];
    for step in 5..=80 {
        let t = step as f32 * 0.05;
        let nll: f64 = logits
            .iter()
            .map(|(l, y)| {
                softmax(&l[outputs.clone()], t, &mut probs);
                -f64::from(probs[*y].max(1e-9)).ln()
            })
            .sum();
        if nll < best.1 {
            best = (t, nll);
        }
    }
    best.0
}

fn det_softmax(logits: &[f64], out: &mut [f64]) {
    let max = logits.iter().copied().fold(f64::MIN, f64::max);
    let mut sum = 0.0;
    for (o, &l) in out.iter_mut().zip(logits) {
        *o = det_exp(l - max);
        sum += *o;
    }
    for o in out.iter_mut() {
        *o /= sum;
    }
}

/// `e^x` from basic arithmetic only (the platform's `exp` may differ in the last bit
/// between CPUs, and the trained bytes must not).
fn det_exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let ln2 = std::f64::consts::LN_2;
    let k = (x / ln2).round();
    let r = x - k * ln2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=14 {
        term *= r / f64::from(n);
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_messages_take_the_higher_label_and_repeat() {
        let m = |text: &str, intent, language| LabelledMessage {
            text: text.into(),
            intent,
            language,
            country: "-".into(),
            source: "t".into(),
        };
        let corpus = [
            m("descadastra", Intent::OptOut, Language::Pt),
            m("caro demais", Intent::Objection, Language::Pt),
            m("quanto custa?", Intent::PriceInquiry, Language::Pt),
            m("stop", Intent::OptOut, Language::En),
            m("thanks", Intent::Other, Language::En),
        ];
        let refs: Vec<&LabelledMessage> = corpus.iter().collect();
        let joined = joined_messages(&refs, 2.0, 7);
        assert_eq!(joined.len(), 8, "{joined:?}");
        for (text, language, intent) in &joined {
            let stop = ["descadastra", "stop"].iter().any(|w| text.contains(w));
            assert_eq!(*intent == Intent::OptOut, stop, "{text}");
            if text.contains("caro") && !stop {
                assert_eq!(*intent, Intent::Objection, "{text}");
            }
            let pt = ["descadastra", "caro", "quanto"]
                .iter()
                .any(|w| text.contains(w));
            assert_eq!(*language == Language::Pt, pt, "{text}");
        }
        assert_eq!(joined, joined_messages(&refs, 2.0, 7));
        assert!(joined_messages(&refs, 0.0, 7).is_empty());
    }

    #[test]
    fn exp_matches_the_platform() {
        for x in [-700.0, -30.5, -1.0, -0.2, 0.0, 0.3, 1.0, 12.25] {
            let (a, b) = (det_exp(x), f64::exp(x));
            assert!(((a - b) / b).abs() < 1e-13, "{x}: {a} vs {b}");
        }
    }

    #[test]
    fn languages_head_has_three_outputs() {
        use super::super::model::LANGS;
        assert_eq!(LANGS, 3);
        assert_eq!(
            Language::ALL[..LANGS],
            [Language::Es, Language::Pt, Language::En]
        );
    }
}
