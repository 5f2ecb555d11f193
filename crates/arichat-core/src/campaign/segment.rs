//! Named segments: every `in_segment` must name one, segments must not refer to each
//! other in a circle, and `grade` / `score` need the bundle's scorecard.

use std::collections::BTreeMap;

use super::definition::Campaign;
use super::error::CampaignError;
use super::rule::Rule;

/// Checks the references of every rule of the bundle.
pub(crate) fn check_segments(
    segments: &BTreeMap<String, Rule>,
    campaigns: &[Campaign],
    has_scorecard: bool,
) -> Result<(), CampaignError> {
    let mut result = Ok(());
    let mut check = |rule: &Rule, path: &str| {
        if result.is_err() {
            return;
        }
        match rule {
            Rule::InSegment(name) if !segments.contains_key(name) => {
                result = Err(CampaignError::UnknownSegment {
                    path: format!("{path}.in_segment"),
                    segment: name.clone(),
                });
            }
            Rule::Grade(_) | Rule::Score(_) if !has_scorecard => {
                let key = if matches!(rule, Rule::Grade(_)) {
                    "grade"
                } else {
                    "score"
                };
                result = Err(CampaignError::MissingScorecard {
                    path: format!("{path}.{key}"),
                });
            }
            _ => {}
        }
    };
    for (name, rule) in segments {
        rule.walk(&format!("segments.{name}"), &mut check);
    }
    for (i, c) in campaigns.iter().enumerate() {
        if let Some(rule) = &c.eligibility {
            rule.walk(&format!("campaigns[{i}].eligibility"), &mut check);
        }
    }
    result?;
    // Depth-first search from every segment; `on_stack` holds the current chain.
    let mut done: Vec<&str> = Vec::new();
    for name in segments.keys() {
        let mut on_stack = Vec::new();
        visit(name, segments, &mut on_stack, &mut done)?;
    }
    Ok(())
}

fn visit<'a>(
    name: &'a str,
    segments: &'a BTreeMap<String, Rule>,
    on_stack: &mut Vec<&'a str>,
    done: &mut Vec<&'a str>,
) -> Result<(), CampaignError> {
    if done.contains(&name) {
        return Ok(());
    }
    on_stack.push(name);
    let mut refs: Vec<(&'a str, String)> = Vec::new();
    if let Some(rule) = segments.get(name) {
        rule.walk(&format!("segments.{name}"), &mut |r, path| {
            if let Rule::InSegment(s) = r {
                refs.push((s.as_str(), format!("{path}.in_segment")));
            }
        });
    }
    for (target, path) in refs {
        if on_stack.contains(&target) {
            return Err(CampaignError::SegmentCycle {
                path,
                segment: target.to_owned(),
            });
        }
        visit(target, segments, on_stack, done)?;
    }
    on_stack.pop();
    done.push(name);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::campaign::CampaignBundle;
    use crate::CoreError;

    fn error(toml: &str) -> (String, String) {
        match CampaignBundle::from_toml_str(toml) {
            Err(CoreError::InvalidCampaign(e)) => (e.code().into(), e.path().unwrap_or("").into()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn references_are_checked_with_their_paths() {
        let cycle = r#"
            version = "1"
            [segments]
            a = { any = [{ field = "x", eq = 1 }, { in_segment = "b" }] }
            b = { all = [{ in_segment = "a" }] }
        "#;
        assert_eq!(
            error(cycle),
            (
                "segment_cycle".into(),
                "segments.b.all[0].in_segment".into()
            )
        );
        let unknown = r#"
            version = "1"
            [[campaigns]]
            id = "x"
            eligibility = { none = [{ in_segment = "ghosts" }] }
        "#;
        assert_eq!(
            error(unknown),
            (
                "unknown_segment".into(),
                "campaigns[0].eligibility.none[0].in_segment".into()
            )
        );
        let no_card = r#"
            version = "1"
            [segments]
            hot = { grade = ["a"] }
        "#;
        assert_eq!(
            error(no_card),
            ("missing_scorecard".into(), "segments.hot.grade".into())
        );
    }
}
