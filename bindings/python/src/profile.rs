//! Customer profiles ([`arichat_core::profile`]): `ProfileSet` for the streaming path,
//! `profiles_from_events` for the scheduled job over an Arrow table of events, and
//! `fit_rfm` for a tenant's own RFM cut points.

use std::sync::Arc;

use arichat_core::profile::{Profile, ProfileBuilder, ProfileConfig, ProfileOptions, RfmCuts};
use arichat_core::scoring::{LeadRecord, Value};
use arichat_core::{CoreError, Event};
use arrow_array::{ArrayRef, Float64Array, StringArray};
use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::arrow::{self, ArrowData, View};
use crate::convert::{json_text, to_py};
use crate::error::to_py_err;
use crate::intent::classifier;
use crate::time::to_utc;

/// The config from the keyword arguments; what is `None` keeps the core's default.
fn config(
    interests: Option<Vec<String>>,
    half_life_days: Option<f64>,
    utc_offset_minutes: Option<i64>,
    max_interests: Option<usize>,
) -> ProfileConfig {
    ProfileOptions {
        interests,
        half_life_days,
        utc_offset_minutes,
        max_interests,
    }
    .into_config()
}

fn builder(config: ProfileConfig) -> ProfileBuilder {
    ProfileBuilder::new(config).with_classifier(Arc::new(classifier().clone()))
}

/// An event from a dict (as `normalize` gives it) or its JSON text.
/// An event from a dict (as `normalize` gives it) or its JSON text.
pub(crate) fn event(value: &Bound<'_, PyAny>) -> PyResult<Event> {
    event_json(&json_text(value)?)
}

fn event_json(text: &str) -> PyResult<Event> {
    parse(text, "event")
}

/// A core serde type from JSON text; `InvalidJsonError` naming `what` otherwise.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &'static str) -> PyResult<T> {
    serde_json::from_str(text).map_err(|e| {
        to_py_err(CoreError::InvalidJson {
            what,
            reason: e.to_string(),
        })
    })
}

fn profile_from(value: &Bound<'_, PyAny>) -> PyResult<Profile> {
    parse(&json_text(value)?, "profile")
}

/// Every contact's profile, updated event by event (the streaming path). Profiles are
/// dicts (the core's JSON: `identities`, `first_seen`, `last_seen`, `messages_in`,
/// `channels`, `hours`, `languages`, `recent_intents`, `interests`, `money`,
/// `response`, `consent`, ...); an event whose contact carries identities of two
/// profiles merges them.
#[pyclass(name = "ProfileSet", module = "arichat")]
pub(crate) struct ProfileSet {
    inner: arichat_core::profile::ProfileSet,
}

#[pymethods]
impl ProfileSet {
    #[new]
    #[pyo3(signature = (*, interests=None, half_life_days=None, utc_offset_minutes=None, max_interests=None))]
    fn new(
        interests: Option<Vec<String>>,
        half_life_days: Option<f64>,
        utc_offset_minutes: Option<i64>,
        max_interests: Option<usize>,
    ) -> Self {
        let c = config(interests, half_life_days, utc_offset_minutes, max_interests);
        ProfileSet {
            inner: arichat_core::profile::ProfileSet::new(builder(c)),
        }
    }

    /// Applies one event (a dict from `normalize`, or its JSON); returns its contact's
    /// profile, or `None` for an event without a contact.
    fn apply<'py>(
        &mut self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let e = self::event(event)?;
        self.inner.apply(&e).map(|p| to_py(py, p)).transpose()
    }

    /// The profile of an identity key (`whatsapp:wa_id:573001234567`,
    /// `telegram:user:42`, ...).
    fn get<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.get(key).map(|p| to_py(py, p)).transpose()
    }

    /// Declares two identity keys one person; returns whether both were known.
    fn link(&mut self, a: &str, b: &str) -> bool {
        self.inner.link(a, b)
    }

    /// Every profile, in the order first seen.
    fn profiles<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .iter()
            .map(|p| to_py(py, p))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// Profiles from a table of events, as a scheduled job builds them: `events` is an
/// Arrow table (pyarrow, polars, pandas) with a text column `column` holding each
/// event's JSON (as `json.dumps(normalize(...)[i])` writes it), in the order they
/// happened — or an iterable of event dicts. Returns a pyarrow-compatible table, one
/// row per profile: `key` (its first identity key), `profile` (the profile's JSON, the
/// same as `ProfileSet` gives for the same events), and the `profile_*` fields
/// scorecards read as of `now` (default: the last event's time), with RFM scores when
/// `rfm_cuts` (from `fit_rfm`) is given.
#[pyfunction]
#[pyo3(signature = (events, *, column="event", now=None, rfm_cuts=None, interests=None, half_life_days=None, utc_offset_minutes=None, max_interests=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn profiles_from_events<'py>(
    py: Python<'py>,
    events: &Bound<'py, PyAny>,
    column: &str,
    now: Option<&Bound<'py, PyAny>>,
    rfm_cuts: Option<&Bound<'py, PyAny>>,
    interests: Option<Vec<String>>,
    half_life_days: Option<f64>,
    utc_offset_minutes: Option<i64>,
    max_interests: Option<usize>,
) -> PyResult<ArrowData> {
    let c = config(interests, half_life_days, utc_offset_minutes, max_interests);
    let now = now.map(|n| to_utc("now", n)).transpose()?;
    let cuts = rfm_cuts.map(cuts_from).transpose()?;
    let mut set = arichat_core::profile::ProfileSet::new(builder(c.clone()));
    if arrow::is_arrow(events)? || events.hasattr("columns")? {
        let table = arrow::to_arrow(events, "a table of events")?;
        let imported = arrow::import(&table)?;
        let batches = arrow::struct_batches(&imported).map_err(bad_table)?;
        let texts: Vec<Vec<Option<String>>> = batches
            .iter()
            .map(|batch| {
                let views = arrow::views(batch, |n| n == column).map_err(bad_table)?;
                match views.into_iter().next() {
                    Some((_, View::Text(values))) => {
                        Ok(values.into_iter().map(|v| v.map(str::to_owned)).collect())
                    }
                    Some((_, View::Categorical(keys, values))) => Ok(keys
                        .iter()
                        .map(|k| values[*k as usize].map(str::to_owned))
                        .collect()),
                    Some(_) => Err(bad_table(format!("column {column:?} is not text"))),
                    None => Err(bad_table(format!("no column {column:?}"))),
                }
            })
            .collect::<PyResult<_>>()?;
        let parsed = texts
            .iter()
            .flatten()
            .flatten()
            .map(|t| event_json(t))
            .collect::<PyResult<Vec<Event>>>()?;
        py.detach(|| {
            for e in &parsed {
                set.apply(e);
            }
        });
    } else {
        for item in events.try_iter()? {
            set.apply(&event(&item?)?);
        }
    }
    table(&set, &c, now, cuts.as_ref())
}

fn bad_table(reason: String) -> PyErr {
    to_py_err(CoreError::InvalidScoringData { reason })
}

fn cuts_from(value: &Bound<'_, PyAny>) -> PyResult<RfmCuts> {
    parse(&json_text(value)?, "rfm cuts")
}

/// One row per profile: key, JSON, and the record fields (numbers as float64, the
/// rest as text; a field no profile has is absent).
fn table(
    set: &arichat_core::profile::ProfileSet,
    config: &ProfileConfig,
    now: Option<DateTime<Utc>>,
    cuts: Option<&RfmCuts>,
) -> PyResult<ArrowData> {
    let profiles: Vec<&Profile> = set.iter().collect();
    let last = profiles.iter().filter_map(|p| p.last_seen).max();
    let now = now.or(last).unwrap_or_else(Utc::now);
    let records: Vec<LeadRecord> = profiles
        .iter()
        .map(|p| {
            let mut r = LeadRecord::new();
            p.fill_record(&mut r, now, config, cuts);
            r
        })
        .collect();
    let mut names: Vec<&str> = Vec::new();
    for r in &records {
        for (name, _) in r.iter() {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let keys: StringArray = profiles
        .iter()
        .map(|p| p.identities.iter().next().cloned())
        .collect();
    let json: StringArray = profiles
        .iter()
        .map(|p| serde_json::to_string(p).ok())
        .collect();
    let mut columns: Vec<(&str, ArrayRef)> =
        vec![("key", Arc::new(keys)), ("profile", Arc::new(json))];
    for name in names {
        let numeric = records
            .iter()
            .map(|r| r.get(name))
            .find(|v| !v.is_null())
            .is_some_and(|v| matches!(v, Value::Number(_)));
        let array: ArrayRef = if numeric {
            Arc::new(
                records
                    .iter()
                    .map(|r| r.get(name).as_f64())
                    .collect::<Float64Array>(),
            )
        } else {
            Arc::new(
                records
                    .iter()
                    .map(|r| match r.get(name) {
                        Value::Null => None,
                        v => Some(v.to_string()),
                    })
                    .collect::<StringArray>(),
            )
        };
        columns.push((name, array));
    }
    ArrowData::table(columns)
}

/// The identity keys of an event's contact (`whatsapp:wa_id:…`, `telegram:user:…`,
/// `phone:+57…`): what profiles are found by; a scheduled job partitions events by the
/// first one. Empty for an event without a contact.
#[pyfunction]
pub(crate) fn profile_keys(event: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    Ok(arichat_core::profile::event_identity_keys(&self::event(
        event,
    )?))
}

/// RFM cut points (quintiles) fitted on `profiles` (dicts or JSON, as `ProfileSet` or
/// the `profile` column give them) as of `now`; monetary in `currency` (default: the
/// most common one). Returns the cuts as a dict for `profiles_from_events(rfm_cuts=…)`
/// and `rfm_score`.
#[pyfunction]
#[pyo3(signature = (profiles, now, *, currency=None, half_life_days=None))]
pub(crate) fn fit_rfm<'py>(
    py: Python<'py>,
    profiles: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    currency: Option<&str>,
    half_life_days: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let now = to_utc("now", now)?;
    let c = config(None, half_life_days, None, None);
    let profiles = profiles
        .try_iter()?
        .map(|p| profile_from(&p?))
        .collect::<PyResult<Vec<_>>>()?;
    to_py(py, &RfmCuts::fit(&profiles, now, &c, currency))
}

/// The RFM scores of one profile: `{"recency", "frequency", "monetary"}` from 1 to 5.
#[pyfunction]
#[pyo3(signature = (profile, cuts, now, *, half_life_days=None))]
pub(crate) fn rfm_score<'py>(
    py: Python<'py>,
    profile: &Bound<'py, PyAny>,
    cuts: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    half_life_days: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let c = config(None, half_life_days, None, None);
    let p = profile_from(profile)?;
    let cuts = cuts_from(cuts)?;
    to_py(py, &cuts.score(&p, to_utc("now", now)?, &c))
}
