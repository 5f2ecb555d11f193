//! `arichat demo`: the quickstart. Replays the bundled sample webhooks of all four
//! channels through verify → normalize → route → dedup → intents → status and
//! consent → score → queue, and prints who an agent should answer next, and why.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use arichat_channels::verify::{auth_header, WebhookVerifier};
use arichat_channels::NormalizeOptions;
use arichat_core::automation::StatusPolicy;
use arichat_core::consent::{ConsentLedger, ConsentPolicy};
use arichat_core::dedup::{IdempotencyStore, MemoryIdempotencyStore, Seen};
use arichat_core::intent::{HybridClassifier, Intent, IntentClassifier};
use arichat_core::queue::{PriorityQueue, QueueConfig, QueueEntry};
use arichat_core::review::ReviewFlag;
use arichat_core::scoring::{EngagementEvent, LeadRecord, ScoreResult, Scorecard};
use arichat_core::{
    Channel, ContactId, Conversation, ConversationId, Event, EventKind, Lead, LeadId,
    MessageContent,
};
use chrono::{DateTime, Utc};

use crate::error::Failure;

/// Where the bundled sample data lives (the repository's `examples/data/demo`).
pub fn default_data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/data/demo")
}

/// Everything the demo knows about one contact on one channel.
struct Thread {
    conversation: Conversation,
    lead: Lead,
    /// The name the payload gives, if any.
    name: Option<String>,
    /// The contact's id on the channel (a PSID, an IGSID, a wa_id, a Telegram user id).
    sender_id: String,
    record: LeadRecord,
    engagement: Vec<EngagementEvent>,
    last_text: Option<String>,
    last_primary: Option<Intent>,
    status_reason: Option<String>,
}

/// Runs the quickstart over `dir` and returns the report to print.
pub fn run(dir: &Path) -> Result<String, Failure> {
    let manifest: serde_json::Value = serde_json::from_slice(&read(&dir.join("manifest.json"))?)
        .map_err(|e| Failure::InvalidInput(format!("demo manifest.json: {e}")))?;
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let now: DateTime<Utc> = text(&manifest["now"])
        .parse()
        .map_err(|e| Failure::InvalidInput(format!("demo manifest.json \"now\": {e}")))?;
    let tenant = text(&manifest["tenant"]);
    let profiles = manifest["profiles"].clone();
    let scorecard_text = String::from_utf8(read(&dir.join("scorecard.toml"))?)
        .map_err(|e| Failure::InvalidInput(format!("demo scorecard.toml: {e}")))?;
    let scorecard = Scorecard::from_toml(&scorecard_text)?;

    // Each channel account with its tenant and the secret that signs its webhooks.
    let mut verifier = WebhookVerifier::new();
    // The channels the sample has an account on.
    for channel in Channel::ALL {
        let Some(account) = manifest["accounts"][channel.as_str()].as_str() else {
            continue;
        };
        let secret = match channel {
            Channel::Telegram => text(&manifest["telegram_secret"]),
            _ => text(&manifest["app_secret"]),
        };
        verifier.add(channel, account, tenant.as_str(), [secret])?;
    }
    let options = NormalizeOptions::new(now).with_account(text(&manifest["accounts"]["telegram"]));

    let classifier = HybridClassifier::new();
    let policy = StatusPolicy::default();
    let mut consent = ConsentLedger::new(ConsentPolicy::default());
    let mut store = MemoryIdempotencyStore::default();
    let mut threads: BTreeMap<ConversationId, Thread> = BTreeMap::new();
    let (mut bodies, mut applied, mut duplicates) = (0, 0, 0);

    for hook in manifest["webhooks"].as_array().into_iter().flatten() {
        let channel: Channel = text(&hook["channel"]).parse()?;
        let body = read(&dir.join(text(&hook["file"])))?;
        let header = hook["headers"][auth_header(channel)].as_str();
        let events = verifier.normalize(channel, &body, header, &options)?;
        bodies += 1;
        for event in events {
            if store.check_and_insert(&event.idempotency_key, now)? == Seen::Duplicate {
                duplicates += 1;
                continue;
            }
            applied += 1;
            apply(&mut threads, &event, &classifier, &policy, &mut consent)?;
        }
    }

    let mut queue = PriorityQueue::new(QueueConfig::default())?;
    let mut scores: BTreeMap<ConversationId, ScoreResult> = BTreeMap::new();
    for (id, thread) in &threads {
        let score = scorecard.score(&thread.record, &thread.engagement, now);
        if thread.conversation.awaiting_reply() && !thread.lead.status().is_closed() {
            queue.upsert(
                QueueEntry::from_conversation(&thread.conversation, score.total),
                now,
            );
        }
        scores.insert(id.clone(), score);
    }

    let mut out = String::new();
    writeln!(
        out,
        "arichat demo — tenant {tenant}, now {now}\n{bodies} webhook bodies verified, {applied} events applied, {duplicates} redelivery recognised\n"
    )?;
    writeln!(out, "Who to answer next:")?;
    writeln!(
        out,
        "{:<3}{:<18}{:<11}{:<13}{:>5} {:<6}{:<17}{:>8}",
        "#", "contact", "channel", "status", "score", "grade", "intent", "priority"
    )?;
    for (rank, item) in queue.top(threads.len(), now).iter().enumerate() {
        let thread = &threads[&item.conversation_id];
        let score = &scores[&item.conversation_id];
        let status = thread.lead.status().as_str();
        let grade = score.grade.as_str().to_uppercase();
        writeln!(
            out,
            "{:<3}{:<18}{:<11}{:<13}{:>5.0} {:<6}{:<17}{:>8.1}",
            rank + 1,
            truncate(&name_of(thread, &profiles), 17),
            item.channel.as_str(),
            status,
            score.total,
            grade,
            thread.last_primary.map_or("-", |i| i.as_str()),
            item.priority,
        )?;
        let time = item.terms.in_words();
        let sep = if time.is_empty() { "" } else { "; " };
        wrapped(
            &mut out,
            "why",
            &format!("{time}{sep}grade {grade}, {status}"),
        )?;
        let rules: Vec<String> = score
            .contributions
            .iter()
            .filter(|c| c.rule != "base")
            .map(|c| format!("{} {:+.0}", c.name.as_deref().unwrap_or(&c.rule), c.points))
            .collect();
        wrapped(&mut out, "score", &rules.join(", "))?;
        if let Some(last) = &thread.last_text {
            let room = WIDTH - INDENT - 2;
            wrapped(&mut out, "last", &format!("\"{}\"", truncate(last, room)))?;
        }
        if let Some(flag) = &item.review {
            wrapped(
                &mut out,
                "review",
                &format!(
                    "⚑ {} \"{}\" (confidence {:.2}); marketing suspended",
                    flag.reason,
                    truncate(&flag.evidence, 50),
                    flag.confidence
                ),
            )?;
        }
    }
    writeln!(
        out,
        "\nNot in the queue (answered, closed, or nothing to answer):"
    )?;
    for (id, thread) in &threads {
        if queue.get(id).is_some() {
            continue;
        }
        let score = &scores[id];
        let consent_line = consent
            .may_send_marketing(thread.lead.contact_id(), thread.conversation.channel, now)
            .reason;
        writeln!(
            out,
            "{:<3}{:<18}{:<11}{:<13}{:>5.0} {}",
            "-",
            truncate(&name_of(thread, &profiles), 17),
            thread.conversation.channel.as_str(),
            thread.lead.status().as_str(),
            score.total,
            score.grade.as_str().to_uppercase(),
        )?;
        if let Some(reason) = &thread.status_reason {
            wrapped(&mut out, "status", reason)?;
        }
        wrapped(&mut out, "consent", &consent_line)?;
    }
    Ok(out)
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|source| Failure::Unreadable {
        path: path.display().to_string(),
        source,
    })
}

fn apply(
    threads: &mut BTreeMap<ConversationId, Thread>,
    event: &Event,
    classifier: &HybridClassifier,
    policy: &StatusPolicy,
    consent: &mut ConsentLedger,
) -> Result<(), Failure> {
    let Some(contact) = &event.contact else {
        return Ok(()); // statuses of our own messages, account-level changes
    };
    let tenant = event
        .tenant_id
        .clone()
        .ok_or_else(|| Failure::InvalidInput("event was not routed".to_owned()))?;
    let contact_id = ContactId::new(format!("{}:{}", event.channel, contact.identity.id()));
    let key = Conversation::key(
        &tenant,
        event.channel,
        &event.channel_account_id,
        &contact_id,
    );
    let thread = threads.entry(key).or_insert_with(|| {
        let mut record = LeadRecord::new()
            .with("channel", event.channel.as_str())
            .with("from_ad", false)
            .with("has_phone", contact.phone.is_some());
        if let Some(region) = contact.phone.as_ref().and_then(|p| p.main_region()) {
            record.set("country", region);
        }
        Thread {
            conversation: Conversation::new(
                tenant.clone(),
                event.channel,
                event.channel_account_id.clone(),
                contact_id.clone(),
            ),
            lead: Lead::new(
                LeadId::new(format!("lead:{contact_id}")),
                tenant.clone(),
                contact_id.clone(),
                event.channel,
                event.occurred_at,
            ),
            name: contact.display_name.clone(),
            sender_id: contact.identity.id().to_owned(),
            record,
            engagement: Vec::new(),
            last_text: None,
            last_primary: None,
            status_reason: None,
        }
    });
    thread.engagement.extend(EngagementEvent::from_event(event));
    consent.record_event(&contact_id, event);
    if let EventKind::Message {
        direction,
        content,
        referral,
        message_id,
        ..
    } = &event.kind
    {
        if referral.is_some() {
            thread.record.set("from_ad", true);
        }
        match direction {
            arichat_core::Direction::Inbound => {
                thread.conversation.record_inbound(event.occurred_at)
            }
            arichat_core::Direction::Outbound => {
                thread.conversation.record_outbound(event.occurred_at)
            }
        }
        let body = match content {
            MessageContent::Text { body } | MessageContent::FormattedText { body, .. } => {
                Some(body)
            }
            _ => None,
        };
        if let (arichat_core::Direction::Inbound, Some(body)) = (direction, body) {
            let classification = classifier.classify(body);
            // Scoring counts what the classifier is sure of, never a guess or a
            // possible opt-out an agent has yet to confirm.
            if !classification.uncertain {
                for m in classification.intents.iter().filter(|m| {
                    m.confidence >= 0.5
                        && (m.intent != Intent::OptOut || classification.is_explicit_opt_out())
                }) {
                    thread
                        .engagement
                        .push(EngagementEvent::intent(m.intent, event.occurred_at));
                }
            }
            consent.record_classification(
                &contact_id,
                event.channel,
                body,
                &classification,
                Some(message_id.clone()),
                event.occurred_at,
            );
            if let Some(flag) =
                ReviewFlag::for_classification(&classification, body, event.occurred_at)
            {
                thread.conversation.review = Some(flag);
            }
            let decision = policy.apply_classification(
                &mut thread.lead,
                &classification,
                body,
                event.occurred_at,
            );
            thread.status_reason = Some(decision.explanation);
            thread.last_primary = Some(classification.primary);
            thread.last_text = Some(body.clone());
        }
    }
    Ok(())
}

/// The terminal width the demo fits in, and the indent of a row's detail lines.
const WIDTH: usize = 100;
const INDENT: usize = 11;

/// `   label   text`, the text wrapped at word boundaries to [`WIDTH`] columns.
fn wrapped(out: &mut String, label: &str, text: &str) -> Result<(), Failure> {
    let mut line = format!("   {label:<width$}", width = INDENT - 3);
    let mut empty = true;
    for word in text.split(' ') {
        let fits = line.chars().count() + 1 + word.chars().count() <= WIDTH;
        if !empty && !fits {
            writeln!(out, "{line}")?;
            line = " ".repeat(INDENT);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    writeln!(out, "{line}")?;
    Ok(())
}

/// The contact's name: the one the payload carries, else the host's profile of it
/// (Messenger and Instagram webhooks carry ids only), else the channel's id.
fn name_of(thread: &Thread, profiles: &serde_json::Value) -> String {
    if let Some(name) = &thread.name {
        return name.clone();
    }
    let key = format!(
        "{}:{}",
        thread.conversation.channel.as_str(),
        thread.sender_id
    );
    profiles[&key]
        .as_str()
        .map_or_else(|| thread.sender_id.clone(), str::to_owned)
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}
