//! The facade's `timeline` marker (the steps of the loom schedule that failed) turned into
//! [`Step`]s a learner can read: one order of the steps that explains every value read,
//! objects named A, B, …, repeats folded, and the source line of each step.

use crate::verdict::Step;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

/// A step as the facade writes it (see `racelings_sync::trace`).
#[derive(Debug, Clone, Deserialize)]
pub struct RawStep {
    pub thread: usize,
    pub op: String,
    pub kind: String,
    pub object: u64,
    #[serde(default)]
    pub other: Option<u64>,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub line: Option<usize>,
    #[serde(default)]
    pub column: Option<usize>,
}

/// The facade's report of one failing schedule.
#[derive(Debug, Clone, Deserialize)]
pub struct RawTimeline {
    pub steps: Vec<RawStep>,
    #[serde(default)]
    pub blocked: Vec<RawStep>,
    /// Steps the facade left out (a long spin), after the first `dropped_after`.
    #[serde(default)]
    pub dropped: usize,
    #[serde(default)]
    pub dropped_after: usize,
}

/// A step with its object named, before the source lines are read.
#[derive(Debug, Clone)]
pub struct Event {
    pub raw: RawStep,
    /// The object's id in the model (unique within the schedule).
    pub object: u64,
    pub blocked: bool,
    /// Steps the facade left out just before this one.
    pub dropped_before: usize,
}

impl Event {
    /// The value an atomic holds after this step, if the step wrote one.
    pub fn written(&self) -> Option<&str> {
        let value = self.raw.value.as_deref()?;
        match self.raw.op.as_str() {
            "store" => Some(value),
            "rmw" | "cas" => value.split_once(" → ").map(|(_, new)| new),
            _ => None,
        }
    }

    /// The value this step read from an atomic, if it read one.
    pub fn read(&self) -> Option<&str> {
        let value = self.raw.value.as_deref()?;
        match self.raw.op.as_str() {
            "load" => Some(value),
            "rmw" | "cas" => value.split_once(" → ").map(|(old, _)| old),
            _ => None,
        }
    }

    pub fn is(&self, op: &str) -> bool {
        self.raw.op == op
    }
}

/// The steps of a failing schedule in an order that explains what each load saw.
///
/// Loom runs the threads in one order but lets a load see any store it is not ordered
/// after; drawn in loom's order, such a load seems to read the past. Where the same run
/// can be drawn with the load earlier (after its thread's previous step, at a point where
/// the value it saw was the latest), it is moved there: the run is the same, and now reads
/// as it happened. A load that cannot be moved saw a stale value for real.
pub fn linearize(raw: &RawTimeline) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    for (i, s) in raw.steps.iter().enumerate() {
        let event = Event {
            object: s.object,
            raw: s.clone(),
            blocked: false,
            dropped_before: if i == raw.dropped_after {
                raw.dropped
            } else {
                0
            },
        };
        let position = if event.is("load") && event.raw.kind == "atomic" {
            explaining_position(&out, &event)
        } else {
            None
        };
        match position {
            Some(p) => out.insert(p, event),
            None => out.push(event),
        }
    }
    for s in &raw.blocked {
        out.push(Event {
            object: s.object,
            raw: s.clone(),
            blocked: true,
            dropped_before: 0,
        });
    }
    out
}

/// Where `load` can go so that the value it read is the latest one written; `None` when it
/// already is at the end, or when no place allowed by its thread's order explains it.
fn explaining_position(out: &[Event], load: &Event) -> Option<usize> {
    let seen = load.read()?;
    let latest_at = |end: usize| {
        out[..end]
            .iter()
            .rev()
            .filter(|e| e.raw.kind == "atomic" && e.object == load.object)
            .find_map(Event::written)
    };
    if latest_at(out.len()).is_none_or(|v| v == seen) {
        return None;
    }
    // Not before the thread's previous step, nor before the thread was spawned.
    let thread = load.raw.thread;
    let earliest = out
        .iter()
        .rposition(|e| {
            e.raw.thread == thread
                || (e.is("spawn") && e.raw.value.as_deref() == Some(&thread.to_string()))
        })
        .map_or(0, |i| i + 1);
    (earliest..out.len())
        .rev()
        .find(|&p| latest_at(p).is_none_or(|v| v == seen))
}

/// Loads that read an older value than the latest one written before them, after
/// [`linearize`]: (the load, the write it did not see).
pub fn stale_reads(events: &[Event]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if !(e.is("load") && e.raw.kind == "atomic") {
            continue;
        }
        let Some(seen) = e.read() else { continue };
        let latest = events[..i]
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, w)| w.raw.kind == "atomic" && w.object == e.object)
            .find_map(|(j, w)| w.written().map(|v| (j, v)));
        if let Some((j, v)) = latest
            && v != seen
        {
            found.push((i, j));
        }
    }
    found
}

/// Names for a timeline: threads `main`, `thread 1`, …; objects A, B, … in the order met.
pub struct Names {
    objects: HashMap<(String, u64), String>,
}

impl Names {
    pub fn new(events: &[Event]) -> Self {
        let mut objects = HashMap::new();
        let mut next = 0u8;
        let mut name = |kind: &str, id: u64| {
            let key = (kind.to_string(), id);
            if kind != "thread" && !objects.contains_key(&key) {
                let letter = (b'A' + next % 26) as char;
                let n = if next >= 26 {
                    format!("{letter}{}", next / 26)
                } else {
                    letter.to_string()
                };
                objects.insert(key, n);
                next = next.wrapping_add(1);
            }
        };
        for e in events {
            name(&e.raw.kind, e.object);
            // A condition variable's mutex may be met first through the wait.
            if let Some(other) = e.raw.other {
                name("lock", other);
            }
        }
        Names { objects }
    }

    pub fn thread(n: usize) -> String {
        if n == 0 {
            "main".to_string()
        } else {
            format!("thread {n}")
        }
    }

    /// The name of an event's object: a letter, or a thread's name.
    pub fn object(&self, e: &Event) -> String {
        self.of(&e.raw.kind, e.object)
    }

    pub fn of(&self, kind: &str, id: u64) -> String {
        if kind == "thread" {
            return Self::thread(id as usize);
        }
        self.objects
            .get(&(kind.to_string(), id))
            .cloned()
            .unwrap_or_else(|| "?".to_string())
    }
}

/// The timeline as the verdict carries it: named, with places made relative to the
/// workbook root, the same step repeated in a row folded into one.
pub fn steps(events: &[Event], names: &Names, place: impl Fn(&str) -> String) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    for e in events {
        let step = Step {
            thread: e.raw.thread,
            thread_name: Names::thread(e.raw.thread),
            op: e.raw.op.clone(),
            object: names.object(e),
            object_kind: e.raw.kind.clone(),
            method: e.raw.method.clone(),
            value: e.raw.value.clone(),
            file: e.raw.file.as_deref().map(&place),
            line: e.raw.line,
            snippet: None,
            blocked: e.blocked,
            repeat: 1,
        };
        if let Some(last) = out.last_mut()
            && (Step {
                repeat: 1,
                ..last.clone()
            }) == step
        {
            // The same step on both sides of a stretch the facade left out: a spin.
            last.repeat += 1 + e.dropped_before;
            continue;
        }
        out.push(step);
    }
    out
}

/// Fills in each step's source line, read from `workspace`, for files inside the exercise
/// crate only (the marker comes from the test process, so its paths are not trusted).
pub fn read_snippets(steps: &mut [Step], workspace: &Path, crate_path: &str) {
    let mut files: HashMap<String, Option<Vec<String>>> = HashMap::new();
    for step in steps {
        let (Some(file), Some(line)) = (&step.file, step.line) else {
            continue;
        };
        let lines = files.entry(file.clone()).or_insert_with(|| {
            let inside = file.starts_with(&format!("{crate_path}/"))
                && file.ends_with(".rs")
                && !file.split('/').any(|part| part == ".." || part.is_empty());
            inside
                .then(|| std::fs::read_to_string(workspace.join(file)).ok())
                .flatten()
                .map(|text| text.lines().map(str::to_string).collect())
        });
        step.snippet = lines
            .as_ref()
            .and_then(|l| l.get(line.checked_sub(1)?))
            .map(|s| s.trim().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(thread: usize, op: &str, value: &str) -> RawStep {
        RawStep {
            thread,
            op: op.into(),
            kind: if op == "spawn" || op == "join" {
                "thread".into()
            } else {
                "atomic".into()
            },
            object: if op == "spawn" || op == "join" { 1 } else { 7 },
            other: None,
            method: None,
            value: Some(value.into()),
            file: Some("src/lib.rs".into()),
            line: Some(if op == "load" { 24 } else { 25 }),
            column: Some(9),
        }
    }

    /// A schedule of these steps, nothing blocked or dropped.
    fn timeline(steps: Vec<RawStep>) -> RawTimeline {
        RawTimeline {
            steps,
            blocked: vec![],
            dropped: 0,
            dropped_after: 0,
        }
    }

    #[test]
    fn a_load_that_saw_an_older_store_is_drawn_before_that_store() {
        // As loom ran it: main loads 0 and stores 1, then thread 1 loads 0 and stores 1.
        let raw = timeline(vec![
            step(0, "spawn", "1"),
            step(0, "load", "0"),
            step(0, "store", "1"),
            step(1, "load", "0"),
            step(1, "store", "1"),
        ]);
        let events = linearize(&raw);
        let order: Vec<(usize, &str)> = events
            .iter()
            .map(|e| (e.raw.thread, e.raw.op.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                (0, "spawn"),
                (0, "load"),
                (1, "load"),
                (0, "store"),
                (1, "store")
            ]
        );
        assert!(stale_reads(&events).is_empty());
    }

    #[test]
    fn a_load_that_cannot_move_stays_a_stale_read() {
        // Thread 1 loads after its own store of 5, yet sees 0: no order explains that.
        let raw = timeline(vec![
            step(0, "spawn", "1"),
            step(1, "store", "5"),
            step(1, "load", "0"),
        ]);
        let events = linearize(&raw);
        assert_eq!(events[2].raw.value.as_deref(), Some("0"));
        assert_eq!(stale_reads(&events), [(2, 1)]);
    }

    #[test]
    fn repeats_fold_and_objects_get_letters() {
        let raw = timeline(vec![
            step(0, "spawn", "1"),
            step(1, "load", "0"),
            step(1, "load", "0"),
            step(1, "load", "0"),
        ]);
        let events = linearize(&raw);
        let names = Names::new(&events);
        let steps = steps(&events, &names, |f| f.to_string());
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].object, "thread 1");
        assert_eq!(steps[1].object, "A");
        assert_eq!(steps[1].repeat, 3);
        assert_eq!(steps[1].thread_name, "thread 1");
    }
}
