//! [`FitReport::to_html`]: one self-contained page (inline SVG and CSS, no script, no
//! font or image to fetch; a Content-Security-Policy forbids any load).

use std::fmt::Write;

use super::svg::{esc, nice_max, ticks, Plot};
use super::{EvaluationKind, FieldBins, FitReport};

const STYLE: &str = r#"
:root{--ink:#1d2433;--muted:#5b6475;--line:#d9dee7;--bg:#f6f7fb;--card:#fff;--accent:#2f6fde;--accent2:#e07a1f;--good:#2c9a5b}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:1100px;margin:0 auto;padding:28px 24px 40px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:34px 0 12px}
h3{font-size:15px;margin:0;display:flex;justify-content:space-between;gap:12px}
h3 small{color:var(--muted);font-weight:normal}
.sub{color:var(--muted);margin:0}
.tiles{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin-top:20px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.tile b{display:block;font-size:22px}
.tile span{color:var(--muted);font-size:13px}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:16px}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px}
figcaption{font-weight:600;margin-bottom:6px}
figcaption small{display:block;color:var(--muted);font-weight:normal}
svg.chart{width:100%;height:auto;display:block}
.grid{stroke:#eef0f5}
.axis{stroke:#8a93a6}
.tick{fill:var(--muted);font-size:11px}
.label{fill:var(--muted);font-size:12px}
.value{fill:var(--ink);font-size:11px}
.chance{fill:none;stroke:#a8b0c0;stroke-dasharray:5 4;stroke-width:1.5}
.curve{fill:none;stroke:var(--accent);stroke-width:2.5;stroke-linejoin:round}
.curve2{fill:none;stroke:var(--accent2);stroke-width:2;stroke-linejoin:round}
.dot{fill:var(--accent)}
.dot2{fill:var(--accent2)}
.bar{fill:var(--accent);opacity:.85}
.bar2{fill:var(--good);opacity:.85}
.legend{color:var(--muted);font-size:13px;margin-top:4px}
.legend i{display:inline-block;width:14px;height:3px;vertical-align:middle;margin:0 5px 0 10px}
table{width:100%;border-collapse:collapse;background:var(--card);font-size:13.5px}
th,td{padding:5px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th{color:var(--muted);font-weight:600;background:#fafbfd}
td.l,th.l{text-align:left;white-space:normal}
.box{background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.field{background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden}
.field h3{padding:10px 12px;border-bottom:1px solid var(--line)}
.meter{display:inline-block;height:8px;border-radius:4px;background:var(--accent);vertical-align:middle;margin-left:6px}
.meter.rate{background:var(--good)}
.ref td{color:var(--muted)}
.none{color:var(--muted)}
footer{color:var(--muted);font-size:12px;margin-top:30px}
@media (max-width:800px){.charts,.fields{grid-template-columns:1fr}.tiles{grid-template-columns:repeat(3,1fr)}}
"#;

fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1} %", 100.0 * x)
    } else {
        "–".to_owned()
    }
}

fn num(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else {
        "–".to_owned()
    }
}

fn points(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.0}")
    } else {
        "–".to_owned()
    }
}

impl FitReport {
    /// The report as one self-contained HTML page: summary figures, ROC curve,
    /// cumulative gains, lift by decile, reliability diagram, conversion per grade, the
    /// gains table, every field's bins, and the dropped columns. Deterministic: the
    /// same report gives the same bytes.
    pub fn to_html(&self) -> String {
        let mut o = String::with_capacity(64 * 1024);
        let title = esc(&self.title);
        let _ = write!(
            o,
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="generator" content="arichat {v}"><title>Scorecard report: {title}</title><style>{STYLE}</style></head><body><main>"#,
            v = crate::VERSION,
        );
        let evaluation = match self.evaluation {
            EvaluationKind::CrossValidated { folds, seed } => format!(
                "held-out scores from {folds}-fold stratified cross-validation (seed {seed}): each row scored by the card fitted without its fold"
            ),
            EvaluationKind::InSample => {
                "in-sample scores (cross-validation was off): figures are optimistic".to_owned()
            }
        };
        let _ = write!(
            o,
            r#"<header><h1>Scorecard report</h1><p class="sub">{title}</p><p class="sub">Curves, deciles and grades: {ev}. Bins: the rows the card was fitted on.</p></header>"#,
            ev = esc(&evaluation)
        );
        self.tiles(&mut o);
        o.push_str(r#"<h2>How well the card ranks and how true its probabilities are</h2><section class="charts">"#);
        self.roc_chart(&mut o);
        self.gains_chart(&mut o);
        self.lift_chart(&mut o);
        self.reliability_chart(&mut o);
        self.grade_chart(&mut o);
        self.grade_table(&mut o);
        o.push_str("</section>");
        self.gains_table(&mut o);
        o.push_str(r#"<h2>Rules and bins</h2><p class="sub">Each field's bins with the points they add, the training rows in them and their conversion rate; fields by how many points they can move a total. The reference level adds 0 points.</p><section class="fields">"#);
        let max_points = self
            .fields
            .iter()
            .flat_map(|f| f.bins.iter().map(|b| b.points))
            .fold(0.0f64, f64::max);
        let max_rate = self
            .fields
            .iter()
            .flat_map(|f| f.bins.iter().map(|b| b.rate))
            .filter(|r| r.is_finite())
            .fold(0.0f64, f64::max);
        for f in &self.fields {
            field_table(&mut o, f, max_points, max_rate);
        }
        if self.fields.is_empty() {
            o.push_str(r#"<p class="none">The card has no fit rules.</p>"#);
        }
        o.push_str("</section>");
        self.dropped_table(&mut o);
        let _ = write!(
            o,
            r#"<footer>Written by arichat {v}. One file: no script, nothing fetched.</footer></main></body></html>"#,
            v = crate::VERSION
        );
        o.push('\n');
        o
    }

    fn tiles(&self, o: &mut String) {
        let auc_label = match self.evaluation {
            EvaluationKind::CrossValidated { .. } => "ROC-AUC (held out)",
            EvaluationKind::InSample => "ROC-AUC (in sample)",
        };
        let tiles = [
            (num(self.auc, 3), auc_label.to_owned()),
            (num(self.brier, 4), "Brier score".to_owned()),
            (num(self.log_loss, 4), "log loss".to_owned()),
            (self.rows.to_string(), "rows".to_owned()),
            (
                pct(self.base_rate()),
                format!("converted ({})", self.positives),
            ),
            (
                self.rules.to_string(),
                format!("rules, base {}", points(self.base)),
            ),
        ];
        o.push_str(r#"<section class="tiles">"#);
        for (value, label) in tiles {
            let _ = write!(
                o,
                r#"<div class="tile"><b>{}</b><span>{}</span></div>"#,
                esc(&value),
                esc(&label)
            );
        }
        o.push_str("</section>");
    }

    fn roc_chart(&self, o: &mut String) {
        let plot = Plot {
            x: (0.0, 1.0),
            y: (0.0, 1.0),
            x_label: "false-positive rate",
            y_label: "true-positive rate",
            title: format!("ROC curve, AUC {}", num(self.auc, 3)),
        };
        figure_head(
            o,
            "ROC curve",
            &format!(
                "AUC {}; the dashed line is a random order",
                num(self.auc, 3)
            ),
        );
        let t = ticks(1.0, 5, |v| format!("{v:.1}"));
        plot.begin(o, &t, &t);
        plot.line(o, &[(0.0, 0.0), (1.0, 1.0)], "chance");
        let pts: Vec<(f64, f64)> = self.roc.iter().map(|p| (p.fpr, p.tpr)).collect();
        plot.line(o, &pts, "curve");
        plot.end(o);
        o.push_str("</figure>");
    }

    fn gains_chart(&self, o: &mut String) {
        let plot = Plot {
            x: (0.0, 1.0),
            y: (0.0, 1.0),
            x_label: "share of leads, best scores first",
            y_label: "share of conversions",
            title: "Cumulative gains".to_owned(),
        };
        let top = self
            .gains
            .get(2)
            .map_or(f64::NAN, |d| d.cumulative_positives);
        figure_head(
            o,
            "Cumulative gains",
            &format!(
                "the best-scored 30 % of leads hold {} of conversions",
                pct(top)
            ),
        );
        let t = ticks(1.0, 5, |v| format!("{:.0} %", 100.0 * v));
        plot.begin(o, &t, &t);
        plot.line(o, &[(0.0, 0.0), (1.0, 1.0)], "chance");
        let mut pts = vec![(0.0, 0.0)];
        pts.extend(
            self.gains
                .iter()
                .map(|d| (d.cumulative_rows, d.cumulative_positives)),
        );
        plot.line(o, &pts, "curve");
        let dots: Vec<(f64, f64, String)> = self
            .gains
            .iter()
            .map(|d| {
                (
                    d.cumulative_rows,
                    d.cumulative_positives,
                    format!(
                        "deciles 1–{}: {} of conversions",
                        d.decile,
                        pct(d.cumulative_positives)
                    ),
                )
            })
            .collect();
        plot.dots(o, &dots, "dot");
        plot.end(o);
        o.push_str("</figure>");
    }

    fn lift_chart(&self, o: &mut String) {
        let max = self
            .gains
            .iter()
            .flat_map(|d| [d.lift, d.cumulative_lift])
            .filter(|v| v.is_finite())
            .fold(1.0f64, f64::max);
        let top = nice_max(max);
        let plot = Plot {
            x: (0.5, 10.5),
            y: (0.0, top),
            x_label: "decile of score (1 = best)",
            y_label: "lift over the average",
            title: "Lift by decile".to_owned(),
        };
        figure_head(
            o,
            "Lift by decile",
            &format!(
                "bars: the decile's conversion rate over the average ({}); line: cumulative",
                pct(self.base_rate())
            ),
        );
        let xt: Vec<(f64, String)> = (1..=10).map(|d| (f64::from(d), d.to_string())).collect();
        plot.begin(o, &xt, &ticks(top, 5, |v| format!("{v:.1}×")));
        let bars: Vec<(f64, f64, String)> = self
            .gains
            .iter()
            .map(|d| (d.decile as f64, d.lift, format!("{:.1}", d.lift)))
            .collect();
        plot.bars(o, &bars, 0.36, "bar");
        plot.line(o, &[(0.5, 1.0), (10.5, 1.0)], "chance");
        let cum: Vec<(f64, f64)> = self
            .gains
            .iter()
            .map(|d| (d.decile as f64, d.cumulative_lift))
            .collect();
        plot.line(o, &cum, "curve2");
        plot.end(o);
        o.push_str("</figure>");
    }

    fn reliability_chart(&self, o: &mut String) {
        let max = self
            .calibration
            .iter()
            .flat_map(|d| [d.mean_predicted, d.observed_rate])
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        let top = nice_max(max);
        let plot = Plot {
            x: (0.0, top),
            y: (0.0, top),
            x_label: "mean predicted probability",
            y_label: "observed conversion rate",
            title: format!("Reliability diagram, Brier {}", num(self.brier, 4)),
        };
        figure_head(
            o,
            "Reliability by decile",
            &format!(
                "each dot a tenth of the leads by predicted probability; on the dashed line the card is calibrated. Brier {}",
                num(self.brier, 4)
            ),
        );
        let t = ticks(top, 5, |v| format!("{:.0} %", 100.0 * v));
        plot.begin(o, &t, &t);
        plot.line(o, &[(0.0, 0.0), (top, top)], "chance");
        let pts: Vec<(f64, f64)> = self
            .calibration
            .iter()
            .map(|d| (d.mean_predicted, d.observed_rate))
            .collect();
        plot.line(o, &pts, "curve");
        let dots: Vec<(f64, f64, String)> = self
            .calibration
            .iter()
            .map(|d| {
                (
                    d.mean_predicted,
                    d.observed_rate,
                    format!(
                        "decile {}: predicted {}, observed {} ({} rows)",
                        d.decile,
                        pct(d.mean_predicted),
                        pct(d.observed_rate),
                        d.rows
                    ),
                )
            })
            .collect();
        plot.dots(o, &dots, "dot");
        plot.end(o);
        o.push_str("</figure>");
    }

    fn grade_chart(&self, o: &mut String) {
        let max = self
            .grades
            .iter()
            .map(|g| g.rate)
            .filter(|v| v.is_finite())
            .fold(self.base_rate(), f64::max);
        let top = nice_max(max);
        let plot = Plot {
            x: (0.5, 4.5),
            y: (0.0, top),
            x_label: "grade",
            y_label: "conversion rate",
            title: "Conversion rate per grade".to_owned(),
        };
        figure_head(
            o,
            "Conversion rate per grade",
            "the share of leads of each grade that converted; the dashed line is the average",
        );
        let xt: Vec<(f64, String)> = self
            .grades
            .iter()
            .enumerate()
            .map(|(i, g)| ((i + 1) as f64, g.grade.as_str().to_uppercase()))
            .collect();
        plot.begin(o, &xt, &ticks(top, 5, |v| format!("{:.0} %", 100.0 * v)));
        let bars: Vec<(f64, f64, String)> = self
            .grades
            .iter()
            .enumerate()
            .map(|(i, g)| ((i + 1) as f64, g.rate, pct(g.rate)))
            .collect();
        plot.bars(o, &bars, 0.3, "bar2");
        let base = self.base_rate();
        plot.line(o, &[(0.5, base), (4.5, base)], "chance");
        plot.end(o);
        o.push_str("</figure>");
    }

    fn grade_table(&self, o: &mut String) {
        figure_head(
            o,
            "Grades",
            "the card's thresholds and the leads in each grade",
        );
        o.push_str(r#"<table><tr><th class="l">grade</th><th>from total</th><th>leads</th><th>share</th><th>converted</th><th>rate</th></tr>"#);
        for g in &self.grades {
            let _ = write!(
                o,
                r#"<tr><td class="l">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                g.grade.as_str().to_uppercase(),
                if g.min_total.is_finite() {
                    points(g.min_total)
                } else {
                    "below C".to_owned()
                },
                g.rows,
                pct(g.rows as f64 / self.rows.max(1) as f64),
                g.positives,
                pct(g.rate)
            );
        }
        o.push_str("</table></figure>");
    }

    fn gains_table(&self, o: &mut String) {
        o.push_str(r#"<h2>Gains by decile</h2><div class="box"><table><tr><th>decile</th><th>total from</th><th>to</th><th>leads</th><th>converted</th><th>rate</th><th>lift</th><th>cumulative share of conversions</th><th>cumulative lift</th></tr>"#);
        for d in &self.gains {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                d.decile,
                points(d.min_total),
                points(d.max_total),
                d.rows,
                d.positives,
                pct(d.rate),
                num(d.lift, 2),
                pct(d.cumulative_positives),
                num(d.cumulative_lift, 2)
            );
        }
        if self.gains.is_empty() {
            o.push_str(r#"<tr><td class="l none" colspan="9">Too few rows for deciles.</td></tr>"#);
        }
        o.push_str("</table></div>");
    }

    fn dropped_table(&self, o: &mut String) {
        o.push_str("<h2>Fields dropped</h2>");
        if self.dropped.is_empty() {
            o.push_str(r#"<p class="none">None: the fit used every column it was given.</p>"#);
            return;
        }
        o.push_str(
            r#"<div class="box"><table><tr><th class="l">field</th><th class="l">why</th><th>information value</th></tr>"#,
        );
        for d in &self.dropped {
            let _ = write!(
                o,
                r#"<tr><td class="l">{}</td><td class="l">{}</td><td>{:.4}</td></tr>"#,
                esc(&d.field),
                esc(d.reason.describe()),
                d.information_value
            );
        }
        o.push_str("</table></div>");
    }
}

fn figure_head(o: &mut String, caption: &str, note: &str) {
    let _ = write!(
        o,
        "<figure><figcaption>{}<small>{}</small></figcaption>",
        esc(caption),
        esc(note)
    );
}

/// A meter's width in pixels for `x` of `max` (at most 60).
fn meter(x: f64, max: f64) -> f64 {
    if x.is_finite() && max > 0.0 {
        (60.0 * x / max).clamp(0.0, 60.0)
    } else {
        0.0
    }
}

fn field_table(o: &mut String, f: &FieldBins, max_points: f64, max_rate: f64) {
    let _ = write!(
        o,
        r#"<div class="field"><h3><span>{}</span><small>up to {} points</small></h3><table><tr><th class="l">bin</th><th>points</th><th>rows</th><th>rate</th></tr>"#,
        esc(&f.field),
        points(f.spread)
    );
    for b in &f.bins {
        let _ = write!(
            o,
            r#"<tr{cls}><td class="l">{label}</td><td>{p}<span class="meter" style="width:{pw:.0}px"></span></td><td>{rows}</td><td>{r}<span class="meter rate" style="width:{rw:.0}px"></span></td></tr>"#,
            cls = if b.rule.is_none() {
                r#" class="ref""#
            } else {
                ""
            },
            label = esc(&b.label),
            p = points(b.points),
            pw = meter(b.points, max_points),
            rows = b.rows,
            r = pct(b.rate),
            rw = meter(b.rate, max_rate),
        );
    }
    o.push_str("</table></div>");
}

#[cfg(test)]
mod tests {
    use super::super::{Evaluation, EvaluationKind, FitReport};
    use crate::fit::DroppedField;
    use crate::fit::{fit, FitConfig};
    use crate::scoring::LeadRecord;

    #[test]
    fn page_is_self_contained_and_escapes_data() {
        let mut rows = Vec::new();
        let mut y = Vec::new();
        for i in 0..300u32 {
            let plan = ["<b>free</b>", "pro & co", "team"][i as usize % 3];
            rows.push(
                LeadRecord::new()
                    .with("plan", plan)
                    .with("visits", f64::from(i % 7)),
            );
            y.push((plan == "pro & co" && i % 4 != 0) || i % 7 == 6);
        }
        let card = fit(&rows, &y, &FitConfig::default()).unwrap().scorecard;
        let totals: Vec<f64> = rows.iter().map(|r| card.fit_points(r, None)).collect();
        let odds = card.odds.unwrap();
        let probs: Vec<f64> = totals.iter().map(|t| odds.probability(*t)).collect();
        let eval = Evaluation {
            kind: EvaluationKind::InSample,
            totals: &totals,
            probabilities: &probs,
        };
        let dropped = vec![DroppedField {
            field: "<id>".into(),
            reason: crate::fit::DropReason::Constant,
            information_value: 0.0,
        }];
        let html = FitReport::build(&card, &rows, &y, eval, dropped).to_html();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert_eq!(html.matches("<svg").count(), 5);
        assert!(html.contains("pro &amp; co") && html.contains("&lt;id&gt;"));
        assert!(!html.contains("<b>free") && !html.contains("<script"));
        assert!(html.contains("in-sample"));
        // Nothing to fetch: no URL at all.
        assert!(!html.contains("http:") && !html.contains("https:") && !html.contains("url("));
    }
}
