//! `EventStream`: CloudEvents on a Redis Stream ([`arichat_channels::store::EventStream`]),
//! read by consumer groups with acknowledgement and redelivery — what a Node subscriber
//! (an agent inbox pushing over Socket.IO) reads. Every call returns a Promise and runs
//! on libuv's thread pool; the URL never appears in errors.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use arichat_channels::cloudevents::CloudEvent;
use arichat_channels::store::{Delivery, StreamConfig};
use arichat_channels::ChannelError;
use arichat_core::CoreError;
use napi::bindgen_prelude::{AsyncTask, ToNapiValue, TypeName, ValueType};
use napi::{Env, Task};
use napi_derive::napi;
use serde_json::{json, Value as Json};

use crate::error::core_error_js;
use crate::{channel_error, core_error, Result};

/// Options of an [`EventStream`]; each left out keeps the Rust default (group
/// `arichat`, consumer `consumer-1`, claim after 30 s, batches of 100, block 500 ms).
#[napi(object)]
pub struct EventStreamOptions {
    /// The consumer group (created when missing).
    pub group: Option<String>,
    /// This consumer's name within its group: one per worker process.
    pub consumer: Option<String>,
    /// Keep about this many entries.
    pub max_len: Option<u32>,
    /// Keep entries for about this many milliseconds.
    pub max_age_ms: Option<f64>,
    /// Claim another consumer's entry left unacknowledged this long (ms).
    pub claim_after_ms: Option<f64>,
    /// Entries per read.
    pub batch_size: Option<u32>,
    /// How long a read waits for new entries (ms).
    pub block_ms: Option<f64>,
}

fn millis(ms: f64) -> Duration {
    Duration::from_millis(if ms.is_finite() && ms > 0.0 {
        ms as u64
    } else {
        0
    })
}

/// A handle on one Redis Stream as one consumer of a group.
#[napi]
pub struct EventStream {
    inner: Arc<Mutex<arichat_channels::store::EventStream>>,
}

#[napi]
impl EventStream {
    /// Connects and creates the group when missing.
    ///
    /// Throws `invalid_config` or `store_unavailable`.
    #[napi(constructor)]
    pub fn new(url: String, stream: String, options: Option<EventStreamOptions>) -> Result<Self> {
        let mut config = StreamConfig::new(url, stream);
        if let Some(o) = options {
            if let Some(g) = o.group {
                config = config.with_group(g);
            }
            if let Some(c) = o.consumer {
                config = config.with_consumer(c);
            }
            if let Some(n) = o.max_len {
                config = config.with_max_len(n as usize);
            }
            if let Some(ms) = o.max_age_ms {
                config = config.with_max_age(millis(ms));
            }
            if let Some(ms) = o.claim_after_ms {
                config = config.with_claim_after(millis(ms));
            }
            if let Some(n) = o.batch_size {
                config = config.with_batch_size(n as usize);
            }
            if let Some(ms) = o.block_ms {
                config = config.with_block(millis(ms));
            }
        }
        let stream = arichat_channels::store::EventStream::connect(config).map_err(core_error)?;
        Ok(EventStream {
            inner: Arc::new(Mutex::new(stream)),
        })
    }

    /// Appends CloudEvents (as `normalizeCloudevents` gives them); resolves to their
    /// entry ids. Rejects with `invalid_cloudevent` before any write for one that is
    /// not a CloudEvent.
    #[napi(
        ts_args_type = "cloudevents: Array<CloudEvent>",
        ts_return_type = "Promise<Array<string>>"
    )]
    pub fn publish(&self, cloudevents: Vec<Json>) -> Result<AsyncTask<StreamTask>> {
        let events = cloudevents
            .iter()
            .map(|v| CloudEvent::from_json(&v.to_string()))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| channel_error(ChannelError::from(e)))?;
        Ok(self.task(Op::Publish(events)))
    }

    /// Up to a batch of entries: first those another consumer left unacknowledged past
    /// `claimAfterMs` (`redelivered: true`), then new ones. Each is `{ entry_id,
    /// event_id, payload, redelivered, event }` (`event`: the CloudEvent, or null for an
    /// entry that is not one — its raw fields are in `payload`).
    #[napi(
        ts_return_type = "Promise<Array<{ entry_id: string, event_id: string, payload: string, redelivered: boolean, event: CloudEvent | null }>>"
    )]
    pub fn read(&self) -> AsyncTask<StreamTask> {
        self.task(Op::Read)
    }

    /// Acknowledges applied entries; resolves to how many were pending.
    #[napi(ts_return_type = "Promise<number>")]
    pub fn ack(&self, entry_ids: Vec<String>) -> AsyncTask<StreamTask> {
        self.task(Op::Ack(entry_ids))
    }

    /// How many entries the group has read and not acknowledged.
    #[napi(ts_return_type = "Promise<number>")]
    pub fn pending(&self) -> AsyncTask<StreamTask> {
        self.task(Op::Pending)
    }

    fn task(&self, op: Op) -> AsyncTask<StreamTask> {
        AsyncTask::new(StreamTask {
            stream: self.inner.clone(),
            op: Some(op),
        })
    }
}

enum Op {
    Publish(Vec<CloudEvent>),
    Read,
    Ack(Vec<String>),
    Pending,
}

fn delivery_js(d: Delivery) -> Json {
    let event = d.event().ok().map_or(Json::Null, |e| {
        serde_json::to_value(e).unwrap_or(Json::Null)
    });
    json!({
        "entry_id": d.entry_id,
        "event_id": d.event_id,
        "payload": d.payload,
        "redelivered": d.redelivered,
        "event": event,
    })
}

/// One [`EventStream`] call on the thread pool.
pub struct StreamTask {
    stream: Arc<Mutex<arichat_channels::store::EventStream>>,
    op: Option<Op>,
}

/// A JSON value handed to JS as the plain value it is (serde_json's conversion).
pub struct JsJson(Json);

impl TypeName for JsJson {
    fn type_name() -> &'static str {
        "unknown"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ToNapiValue for JsJson {
    unsafe fn to_napi_value(
        env: napi::sys::napi_env,
        val: Self,
    ) -> napi::Result<napi::sys::napi_value> {
        // SAFETY: forwarded as called, with the env napi gave.
        unsafe { Json::to_napi_value(env, val.0) }
    }
}

impl Task for StreamTask {
    type Output = std::result::Result<Json, CoreError>;
    type JsValue = JsJson;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let mut stream = self
            .stream
            .lock()
            .map_err(|_| napi::Error::from_reason("stream poisoned by a panic"))?;
        let op = self
            .op
            .take()
            .ok_or_else(|| napi::Error::from_reason("a stream task runs once"))?;
        Ok(match op {
            Op::Publish(events) => stream
                .publish(&events, chrono::Utc::now())
                .map(|ids| json!(ids)),
            Op::Read => stream
                .read()
                .map(|ds| Json::Array(ds.into_iter().map(delivery_js).collect())),
            Op::Ack(ids) => stream.ack(&ids).map(|n| json!(n)),
            Op::Pending => stream.pending().map(|n| json!(n)),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        output.map(JsJson).map_err(|e| core_error_js(&env, &e))
    }
}
