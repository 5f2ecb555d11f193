//! Importing GrowthBook targeting conditions (the MongoDB-style JSON of feature rules
//! and experiments) as eligibility [`Rule`]s, so teams can bring the rules they have.
//!
//! Supported:
//!
//! | condition | becomes |
//! |---|---|
//! | `{"a": 1, "b": 2}` (several keys) | `all` of each |
//! | `{"$and": [..]}`, `{"$or": [..]}`, `{"$nor": [..]}` | `all`, `any`, `none` |
//! | `{"$not": {..}}` (a condition or an attribute's operators) | `none` of it |
//! | `{"country": "PE"}` (string, number, boolean) | `eq` |
//! | `{"x": null}` | `exists = false` |
//! | `$eq`, `$gt`, `$gte`, `$lt`, `$lte` | `eq`, `gt`, `gte`, `lt`, `lte` |
//! | `$ne` | `none = [eq]` (GrowthBook's `$ne` matches a missing attribute) |
//! | `$in`, `$nin` | `one_of`, `none = [one_of]` (`$nin` matches a missing attribute) |
//! | `$exists` | `exists` |
//!
//! Anything else — `$regex`, `$elemMatch`, `$size`, `$all`, `$type`, the version
//! operators (`$veq`, `$vgt`, ...), `$inGroup`, array or object literals — is a
//! [`CampaignError::UnsupportedOperator`] (or `InvalidRule`) naming its path. Attribute
//! names are used as they are (a dotted name is one attribute, not a nested path), and
//! attributes are single values: `$in` tests whether the value is one of the list (the
//! array-attribute form, "any element in the list", does not arise).
//! Ordered comparisons take numbers or dates: GrowthBook also orders arbitrary strings,
//! which arichat does not.

use serde_json::{json, Value as Json};

use super::error::CampaignError;
use super::rule::Rule;

impl Rule {
    /// Converts a GrowthBook condition into a rule; `path` prefixes error paths.
    ///
    /// # Errors
    /// [`CampaignError::UnsupportedOperator`] or [`CampaignError::InvalidRule`] naming
    /// the operator or value at fault.
    ///
    /// ```
    /// use arichat_core::campaign::Rule;
    /// use serde_json::json;
    /// let rule = Rule::from_growthbook(&json!({"country": "PE", "age": {"$gte": 18}}), "condition").unwrap();
    /// assert_eq!(rule.to_json_value(), json!({"all": [
    ///     {"field": "age", "gte": 18}, {"field": "country", "eq": "PE"}]}));
    /// let err = Rule::from_growthbook(&json!({"$or": [{"email": {"$regex": "@x"}}]}), "c").unwrap_err();
    /// assert_eq!(err.path(), Some("c.$or[0].email.$regex"));
    /// ```
    pub fn from_growthbook(condition: &Json, path: &str) -> Result<Rule, CampaignError> {
        let obj = condition
            .as_object()
            .ok_or_else(|| CampaignError::rule(path, "a condition must be an object"))?;
        let mut rules = Vec::with_capacity(obj.len());
        for (key, v) in obj {
            let p = format!("{path}.{key}");
            let list = |v: &Json| -> Result<Vec<Rule>, CampaignError> {
                let items = v
                    .as_array()
                    .ok_or_else(|| CampaignError::rule(&p, "must be a list of conditions"))?;
                items
                    .iter()
                    .enumerate()
                    .map(|(i, c)| Rule::from_growthbook(c, &format!("{p}[{i}]")))
                    .collect()
            };
            rules.push(match key.as_str() {
                "$and" => Rule::All(list(v)?),
                "$or" => {
                    let l = list(v)?;
                    // GrowthBook treats an empty `$or` as true.
                    if l.is_empty() {
                        Rule::All(l)
                    } else {
                        Rule::Any(l)
                    }
                }
                "$nor" => Rule::None(list(v)?),
                "$not" => Rule::None(vec![Rule::from_growthbook(v, &p)?]),
                k if k.starts_with('$') => {
                    return Err(CampaignError::UnsupportedOperator {
                        path: p,
                        operator: k.to_owned(),
                    })
                }
                field => attribute(field, v, &p)?,
            });
        }
        Ok(if rules.len() == 1 {
            rules.remove(0)
        } else {
            Rule::All(rules)
        })
    }
}

/// The rule for one attribute's condition: a literal or an object of operators.
fn attribute(field: &str, v: &Json, path: &str) -> Result<Rule, CampaignError> {
    let ops = match v {
        Json::Object(m) if m.keys().all(|k| k.starts_with('$')) && !m.is_empty() => m,
        Json::Null => return native(json!({"field": field, "exists": false}), path),
        Json::String(_) | Json::Number(_) | Json::Bool(_) => {
            return native(json!({"field": field, "eq": v}), path)
        }
        _ => {
            return Err(CampaignError::rule(
                path,
                "array and object literals (deep equality) are not supported",
            ))
        }
    };
    let mut rules = Vec::with_capacity(ops.len());
    for (op, arg) in ops {
        let p = format!("{path}.{op}");
        let leaf = |key: &str| native(json!({"field": field, key: arg}), &p);
        rules.push(match op.as_str() {
            "$eq" => leaf("eq")?,
            "$gt" => leaf("gt")?,
            "$gte" => leaf("gte")?,
            "$lt" => leaf("lt")?,
            "$lte" => leaf("lte")?,
            "$ne" => Rule::None(vec![leaf("eq")?]),
            "$in" => leaf("one_of")?,
            "$nin" => Rule::None(vec![leaf("one_of")?]),
            "$exists" => match arg {
                Json::Bool(_) => leaf("exists")?,
                _ => return Err(CampaignError::rule(p, "must be true or false")),
            },
            "$not" => Rule::None(vec![attribute(field, arg, &p)?]),
            _ => {
                return Err(CampaignError::UnsupportedOperator {
                    path: p,
                    operator: op.clone(),
                })
            }
        });
    }
    Ok(if rules.len() == 1 {
        rules.remove(0)
    } else {
        Rule::All(rules)
    })
}

/// A native rule from its JSON form, errors pointing at the GrowthBook operator.
fn native(v: Json, path: &str) -> Result<Rule, CampaignError> {
    Rule::from_json_value(&v, "").map_err(|e| match e {
        CampaignError::InvalidRule { reason, .. } => CampaignError::rule(path, reason),
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(v: Json) -> Json {
        Rule::from_growthbook(&v, "c").unwrap().to_json_value()
    }

    #[test]
    fn operators_map_to_native_rules() {
        assert_eq!(
            convert(
                json!({"$or": [{"plan": {"$in": ["gold", "black"]}}, {"$not": {"loan": "yes"}}]})
            ),
            json!({"any": [
                {"field": "plan", "one_of": ["gold", "black"]},
                {"none": [{"field": "loan", "eq": "yes"}]}]})
        );
        assert_eq!(
            convert(json!({"job": {"$ne": "student", "$exists": true}})),
            json!({"all": [
                {"field": "job", "exists": true},
                {"none": [{"field": "job", "eq": "student"}]}]})
        );
        assert_eq!(
            convert(json!({"x": null})),
            json!({"field": "x", "exists": false})
        );
        assert_eq!(convert(json!({})), json!({"all": []}));
        assert_eq!(
            convert(json!({"$nor": [{"age": {"$lt": 18}}], "opened": {"$gt": "2026-01-01"}})),
            json!({"all": [
                {"none": [{"field": "age", "lt": 18}]},
                {"field": "opened", "gt": "2026-01-01T00:00:00Z"}]})
        );
    }

    #[test]
    fn unsupported_operators_name_their_path() {
        for (cond, path) in [
            (json!({"a": {"$regex": "x"}}), "c.a.$regex"),
            (
                json!({"$and": [{"tags": {"$elemMatch": {}}}]}),
                "c.$and[0].tags.$elemMatch",
            ),
            (json!({"$where": "1"}), "c.$where"),
            (json!({"v": {"$not": {"$vgt": "1.2"}}}), "c.v.$not.$vgt"),
        ] {
            let e = Rule::from_growthbook(&cond, "c").unwrap_err();
            assert_eq!(
                (e.code(), e.path()),
                ("unsupported_operator", Some(path)),
                "{cond}"
            );
        }
        let e = Rule::from_growthbook(&json!({"a": {"$gt": "abc"}}), "c").unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_rule", Some("c.a.$gt")));
        let e = Rule::from_growthbook(&json!({"a": [1]}), "c").unwrap_err();
        assert_eq!(e.path(), Some("c.a"));
    }
}
