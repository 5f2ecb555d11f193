//! The HTTP binding's binary content mode: attributes as `ce-` headers, the data as
//! the body with its media type in `Content-Type`. (Structured mode is
//! [`CloudEvent::to_json`] with `Content-Type: application/cloudevents+json`.)

use serde_json::Value;

use super::{CloudEvent, EnvelopeError, SPEC_VERSION};

/// A binary-mode HTTP message: lowercase header names and values, and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinaryMessage {
    /// `ce-id`, `ce-source`, `ce-specversion`, `ce-type`, `ce-time`, `ce-subject`,
    /// one `ce-<name>` per extension, and `content-type`.
    pub headers: Vec<(String, String)>,
    /// The data: JSON text for arichat's events.
    pub body: Vec<u8>,
}

impl CloudEvent {
    /// The binary-mode HTTP message of this event. Header values are percent-encoded
    /// as the binding requires (space, `"`, `%` and anything outside printable ASCII).
    pub fn to_http_binary(&self) -> BinaryMessage {
        let mut headers = Vec::with_capacity(8 + self.extensions.len());
        for (name, value) in attributes(self) {
            headers.push((format!("ce-{name}"), encode(&value)));
        }
        if let Some(ct) = &self.datacontenttype {
            headers.push(("content-type".to_owned(), ct.clone()));
        }
        let body = match &self.data {
            None => Vec::new(),
            Some(Value::String(s)) if !is_json(self.datacontenttype.as_deref()) => {
                s.clone().into_bytes()
            }
            Some(v) => serde_json::to_vec(v).unwrap_or_default(),
        };
        BinaryMessage { headers, body }
    }

    /// Reads a binary-mode HTTP message (header names in any case).
    ///
    /// # Errors
    /// [`EnvelopeError`] when a required `ce-` header is missing, the specversion is not
    /// 1.0, or a JSON body does not parse.
    pub fn from_http_binary(
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Self, EnvelopeError> {
        let pairs = headers.iter().filter_map(|(k, v)| {
            let k = k.to_ascii_lowercase();
            if k == "content-type" {
                return Some(("datacontenttype".to_owned(), v.clone()));
            }
            k.strip_prefix("ce-")
                .map(|name| (name.to_owned(), decode(v)))
        });
        from_attributes(pairs, body)
    }
}

/// The attributes other than `data` and `datacontenttype`, as text, in a fixed order.
pub(super) fn attributes(ce: &CloudEvent) -> Vec<(String, String)> {
    let mut out = vec![
        ("id".to_owned(), ce.id.clone()),
        ("source".to_owned(), ce.source.clone()),
        ("specversion".to_owned(), ce.specversion.clone()),
        ("type".to_owned(), ce.ty.clone()),
    ];
    if let Some(t) = ce.time {
        out.push((
            "time".to_owned(),
            t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        ));
    }
    if let Some(s) = &ce.subject {
        out.push(("subject".to_owned(), s.clone()));
    }
    for name in ce.extensions.keys() {
        if let Some(v) = ce.extension(name) {
            out.push((name.clone(), v));
        }
    }
    out
}

/// A CloudEvent from its attributes as text (`datacontenttype` among them) and its
/// data bytes: the binary mode of every protocol binding.
pub(super) fn from_attributes(
    pairs: impl Iterator<Item = (String, String)>,
    body: &[u8],
) -> Result<CloudEvent, EnvelopeError> {
    let mut ce = CloudEvent {
        id: String::new(),
        source: String::new(),
        specversion: String::new(),
        ty: String::new(),
        time: None,
        subject: None,
        datacontenttype: None,
        data: None,
        extensions: Default::default(),
    };
    for (name, value) in pairs {
        match name.as_str() {
            "id" => ce.id = value,
            "source" => ce.source = value,
            "specversion" => ce.specversion = value,
            "type" => ce.ty = value,
            "time" => {
                let t = chrono::DateTime::parse_from_rfc3339(&value)
                    .map_err(|_| EnvelopeError::Invalid("time is not RFC 3339".into()))?;
                ce.time = Some(t.with_timezone(&chrono::Utc));
            }
            "subject" => ce.subject = Some(value),
            "datacontenttype" => ce.datacontenttype = Some(value),
            other => {
                ce = ce.with_extension(other, value)?;
            }
        }
    }
    if ce.specversion != SPEC_VERSION {
        return Err(if ce.specversion.is_empty() {
            EnvelopeError::Invalid("specversion is missing".into())
        } else {
            EnvelopeError::UnsupportedVersion
        });
    }
    if ce.id.is_empty() || ce.source.is_empty() || ce.ty.is_empty() {
        return Err(EnvelopeError::Invalid(
            "id, source and type are required".into(),
        ));
    }
    if !body.is_empty() {
        ce.data = Some(if is_json(ce.datacontenttype.as_deref()) {
            serde_json::from_slice(body)
                .map_err(|_| EnvelopeError::Invalid("the JSON data does not parse".into()))?
        } else {
            Value::String(String::from_utf8_lossy(body).into_owned())
        });
    }
    Ok(ce)
}

/// Whether a media type is JSON (`application/json`, `…+json`, or none given).
fn is_json(media_type: Option<&str>) -> bool {
    match media_type {
        None => true,
        Some(t) => {
            let t = t.split(';').next().unwrap_or_default().trim();
            t == "application/json" || t.ends_with("+json")
        }
    }
}

/// Percent-encodes what the HTTP binding says must be.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if (0x21..=0x7E).contains(&b) && b != b'"' && b != b'%' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` sequences (invalid ones are kept as written), then UTF-8.
fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|&b| hex(b)),
            bytes.get(i + 2).and_then(|&b| hex(b)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_round_trip_through_percent_encoding() {
        for v in ["Lucía Pérez", "100% \"real\"", "plain-value", ""] {
            assert_eq!(decode(&encode(v)), v);
            assert!(encode(v).bytes().all(|b| (0x21..=0x7E).contains(&b)));
        }
        assert_eq!(encode("a b"), "a%20b");
    }
}
