//! Medians and spreads of a handful of timings, and how to print them.

use std::time::Duration;

/// Repeated measurements of one quantity (seconds, or a ratio).
#[derive(Debug, Clone, Default)]
pub struct Samples(Vec<f64>);

impl Samples {
    pub fn new() -> Self {
        Samples(Vec::new())
    }

    pub fn push(&mut self, value: f64) {
        self.0.push(value);
    }

    pub fn push_duration(&mut self, d: Duration) {
        self.0.push(d.as_secs_f64());
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn sorted(&self) -> Vec<f64> {
        let mut v = self.0.clone();
        v.sort_by(f64::total_cmp);
        v
    }

    /// The middle value (the mean of the two middle ones for an even count); NaN when empty.
    pub fn median(&self) -> f64 {
        let v = self.sorted();
        match v.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    }

    pub fn min(&self) -> f64 {
        self.sorted().first().copied().unwrap_or(f64::NAN)
    }

    pub fn max(&self) -> f64 {
        self.sorted().last().copied().unwrap_or(f64::NAN)
    }

    /// `median (min–max)` in seconds, e.g. `1.23 s (1.10–1.51)`.
    pub fn secs(&self) -> String {
        self.format(secs, " s")
    }

    /// `median× (min–max)` for a ratio.
    pub fn ratio(&self) -> String {
        self.format(|x| format!("{x:.2}"), "×")
    }

    fn format(&self, number: impl Fn(f64) -> String, unit: &str) -> String {
        match self.len() {
            0 => "—".to_string(),
            1 => format!("{}{unit}", number(self.median())),
            _ => format!(
                "{}{unit} ({}–{})",
                number(self.median()),
                number(self.min()),
                number(self.max())
            ),
        }
    }
}

/// Seconds with a precision that suits their size.
pub fn secs(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// `k/n (p%)`.
pub fn share(k: usize, n: usize) -> String {
    if n == 0 {
        return "—".to_string();
    }
    let p = 100.0 * k as f64 / n as f64;
    // Never round a miss up to 100% or a catch down to 0%.
    let p = if k == n || k == 0 {
        format!("{p:.0}")
    } else {
        format!("{:.1}", p.clamp(0.1, 99.9))
    };
    format!("{k}/{n} ({p}%)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts_and_their_spread() {
        let mut s = Samples::new();
        for x in [3.0, 1.0, 2.0] {
            s.push(x);
        }
        assert_eq!(s.median(), 2.0);
        assert_eq!(s.secs(), "2.00 s (1.00–3.00)");
        s.push(10.0);
        assert_eq!(s.median(), 2.5);
        assert_eq!(s.ratio(), "2.50× (1.00–10.00)");
        assert_eq!(Samples::new().secs(), "—");
        assert_eq!(share(199, 200), "199/200 (99.5%)");
        assert_eq!(share(1999, 2000), "1999/2000 (99.9%)");
        assert_eq!(share(3, 3), "3/3 (100%)");
    }
}
