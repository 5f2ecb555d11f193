//! Inline SVG charts for the report: a plot frame with axes and grid, polylines,
//! dots and bars. Plain strings, no script; the page's CSS colours them by class.

use std::fmt::Write;

/// Escapes text for HTML and SVG content and attribute values.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A chart area mapping data coordinates to pixels.
pub(super) struct Plot {
    /// Axis ranges `(min, max)`.
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub x_label: &'static str,
    pub y_label: &'static str,
    /// What a screen reader says for the chart.
    pub title: String,
}

const W: f64 = 440.0;
const H: f64 = 320.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 48.0;

impl Plot {
    fn px(&self, x: f64) -> f64 {
        LEFT + (x - self.x.0) / (self.x.1 - self.x.0) * (W - LEFT - RIGHT)
    }

    fn py(&self, y: f64) -> f64 {
        H - BOTTOM - (y - self.y.0) / (self.y.1 - self.y.0) * (H - TOP - BOTTOM)
    }

    /// Opens the `<svg>` with its grid, axes and tick labels; [`Plot::end`] closes it.
    pub fn begin(&self, out: &mut String, x_ticks: &[(f64, String)], y_ticks: &[(f64, String)]) {
        let _ = write!(
            out,
            r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{t}"><title>{t}</title>"#,
            t = esc(&self.title)
        );
        for (v, label) in y_ticks {
            let y = self.py(*v);
            let _ = write!(
                out,
                r#"<line class="grid" x1="{LEFT}" x2="{x2:.1}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{tx:.1}" y="{ty:.1}" text-anchor="end">{l}</text>"#,
                x2 = W - RIGHT,
                tx = LEFT - 6.0,
                ty = y + 4.0,
                l = esc(label)
            );
        }
        for (v, label) in x_ticks {
            let x = self.px(*v);
            let _ = write!(
                out,
                r#"<line class="grid" x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{y2:.1}"/><text class="tick" x="{x:.1}" y="{ty:.1}" text-anchor="middle">{l}</text>"#,
                y2 = H - BOTTOM,
                ty = H - BOTTOM + 16.0,
                l = esc(label)
            );
        }
        let _ = write!(
            out,
            r#"<line class="axis" x1="{LEFT}" x2="{x2:.1}" y1="{yb:.1}" y2="{yb:.1}"/><line class="axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{yb:.1}"/><text class="label" x="{xm:.1}" y="{xl:.1}" text-anchor="middle">{xlab}</text><text class="label" transform="translate(14 {ym:.1}) rotate(-90)" text-anchor="middle">{ylab}</text>"#,
            x2 = W - RIGHT,
            yb = H - BOTTOM,
            xm = (LEFT + W - RIGHT) / 2.0,
            xl = H - 10.0,
            ym = (TOP + H - BOTTOM) / 2.0,
            xlab = esc(self.x_label),
            ylab = esc(self.y_label),
        );
    }

    /// Closes the `<svg>`.
    pub fn end(&self, out: &mut String) {
        out.push_str("</svg>");
    }

    /// A line through `points` (data coordinates), styled by `class`.
    pub fn line(&self, out: &mut String, points: &[(f64, f64)], class: &str) {
        out.push_str(r#"<polyline class=""#);
        out.push_str(class);
        out.push_str(r#"" points=""#);
        for (i, (x, y)) in points.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let _ = write!(out, "{:.1},{:.1}", self.px(*x), self.py(*y));
        }
        out.push_str(r#""/>"#);
    }

    /// A dot at each point, with a tooltip.
    pub fn dots(&self, out: &mut String, points: &[(f64, f64, String)], class: &str) {
        for (x, y, tip) in points {
            let _ = write!(
                out,
                r#"<circle class="{class}" cx="{:.1}" cy="{:.1}" r="4"><title>{}</title></circle>"#,
                self.px(*x),
                self.py(*y),
                esc(tip)
            );
        }
    }

    /// Vertical bars centred on the x positions `x ± half_width`, from the x axis's
    /// baseline (`self.y.0`) up to each value, with a value label above.
    pub fn bars(
        &self,
        out: &mut String,
        bars: &[(f64, f64, String)],
        half_width: f64,
        class: &str,
    ) {
        for (x, v, label) in bars {
            if !v.is_finite() {
                continue;
            }
            let (x0, x1) = (self.px(x - half_width), self.px(x + half_width));
            let (y0, y1) = (self.py(self.y.0), self.py(*v));
            let _ = write!(
                out,
                r#"<rect class="{class}" x="{x0:.1}" y="{y1:.1}" width="{w:.1}" height="{h:.1}"><title>{l}</title></rect><text class="value" x="{xm:.1}" y="{yl:.1}" text-anchor="middle">{l}</text>"#,
                w = x1 - x0,
                h = (y0 - y1).max(0.0),
                xm = (x0 + x1) / 2.0,
                yl = y1 - 4.0,
                l = esc(label)
            );
        }
    }
}

/// Evenly spaced ticks over `[0, max]` labelled by `fmt`.
pub(super) fn ticks(max: f64, steps: usize, fmt: impl Fn(f64) -> String) -> Vec<(f64, String)> {
    (0..=steps)
        .map(|i| {
            let v = max * i as f64 / steps as f64;
            (v, fmt(v))
        })
        .collect()
}

/// A "nice" upper bound for an axis that must show `max`: 1, 2, 2.5 or 5 times a power
/// of ten.
pub(super) fn nice_max(max: f64) -> f64 {
    if !(max.is_finite() && max > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|v| *v >= max * 0.999_999)
        .unwrap_or(10.0 * p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bounds() {
        assert_eq!(
            esc(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(nice_max(0.37), 0.5);
        assert_eq!(nice_max(3.2), 5.0);
        assert_eq!(nice_max(10.0), 10.0);
        assert_eq!(nice_max(0.0), 1.0);
    }
}
