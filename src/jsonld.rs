//! schema.org `JobPosting` data: pulls the fields that carry signals out of raw JSON-LD blocks and turns
//! them into text the rules can read (title, description, pay with its unit, country of the job).

use serde_json::Value;

/// Text gathered from every `JobPosting` in the blocks, one field a line. Bad JSON is skipped.
pub fn job_posting_text(blocks: &[String]) -> String {
    let mut out = String::new();
    for b in blocks.iter().take(32) {
        if b.len() > 1_000_000 {
            continue;
        }
        if let Ok(v) = serde_json::from_str::<Value>(b) {
            walk(&v, &mut out, 0);
        }
    }
    out
}

/// Whether any block holds a `JobPosting`.
pub fn has_job_posting(blocks: &[String]) -> bool {
    !job_posting_text(blocks).is_empty()
}

fn is_job_posting(v: &Value) -> bool {
    match v.get("@type") {
        Some(Value::String(s)) => s == "JobPosting",
        Some(Value::Array(a)) => a.iter().any(|t| t.as_str() == Some("JobPosting")),
        _ => false,
    }
}

fn walk(v: &Value, out: &mut String, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| walk(x, out, depth + 1)),
        Value::Object(o) => {
            if is_job_posting(v) {
                posting(v, out);
            }
            if let Some(g) = o.get("@graph") {
                walk(g, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn posting(v: &Value, out: &mut String) {
    // Always leave a line, so an empty posting still counts as one.
    out.push_str("JobPosting\n");
    for key in
        ["title", "description", "qualifications", "responsibilities", "employmentType", "experienceRequirements"]
    {
        if let Some(s) = v.get(key).and_then(Value::as_str) {
            out.push_str(&strip_tags(s));
            out.push('\n');
        }
    }
    if let Some(s) = v.get("baseSalary") {
        salary(s, out);
    }
    let mut countries = Vec::new();
    collect_countries(v.get("jobLocation"), &mut countries);
    for c in countries {
        out.push_str(country_name(&c).unwrap_or(&c));
        out.push('\n');
    }
}

fn salary(s: &Value, out: &mut String) {
    let currency = s.get("currency").and_then(Value::as_str).unwrap_or("");
    let value = s.get("value").unwrap_or(s);
    let amount = ["maxValue", "value", "minValue"]
        .iter()
        .find_map(|k| value.get(k).and_then(|x| x.as_f64().or_else(|| x.as_str().and_then(|t| t.parse().ok()))))
        .or_else(|| value.as_f64());
    let unit = value.get("unitText").or_else(|| s.get("unitText")).and_then(Value::as_str).unwrap_or("");
    if let Some(a) = amount {
        let per = match unit.to_ascii_uppercase().as_str() {
            "HOUR" => "per hour",
            "DAY" => "per day",
            "WEEK" => "per week",
            "YEAR" => "per year",
            _ => "per month",
        };
        out.push_str(&format!("{a:.0} {} {per}\n", currency.to_ascii_lowercase()));
    }
}

fn collect_countries(v: Option<&Value>, out: &mut Vec<String>) {
    match v {
        Some(Value::Array(a)) => a.iter().for_each(|x| collect_countries(Some(x), out)),
        Some(o @ Value::Object(_)) => {
            let addr = o.get("address").unwrap_or(o);
            match addr.get("addressCountry") {
                Some(Value::String(s)) => out.push(s.clone()),
                Some(c @ Value::Object(_)) => {
                    if let Some(n) = c.get("name").and_then(Value::as_str) {
                        out.push(n.to_string());
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// English names for the country codes that matter to the destination rules.
fn country_name(code: &str) -> Option<&'static str> {
    Some(match code.to_ascii_uppercase().as_str() {
        "KH" | "KHM" => "Cambodia",
        "MM" | "MMR" => "Myanmar",
        "LA" | "LAO" => "Laos",
        "TH" | "THA" => "Thailand",
        "VN" | "VNM" => "Vietnam",
        "PH" | "PHL" => "Philippines",
        "MY" | "MYS" => "Malaysia",
        "ID" | "IDN" => "Indonesia",
        "AE" | "ARE" => "United Arab Emirates",
        _ => return None,
    })
}

/// Drops HTML tags from a description, keeping the text between them.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_job_posting_fields() {
        let b = r#"{"@context":"https://schema.org","@graph":[{"@type":"JobPosting","title":"Chat agent",
          "description":"<p>Easy <b>typing</b></p>",
          "baseSalary":{"@type":"MonetaryAmount","currency":"USD","value":{"maxValue":6000,"unitText":"MONTH"}},
          "jobLocation":{"@type":"Place","address":{"addressCountry":"KH"}}}]}"#;
        let t = job_posting_text(&[b.to_string()]);
        assert!(t.contains("Chat agent"));
        assert!(t.contains("Easy  typing"));
        assert!(t.contains("6000 usd per month"));
        assert!(t.contains("Cambodia"));
    }

    #[test]
    fn ignores_bad_json_and_other_types() {
        assert!(!has_job_posting(&["{not json".into(), r#"{"@type":"Organization"}"#.into()]));
        assert!(has_job_posting(&[r#"[{"@type":["JobPosting"]}]"#.into()]));
    }
}
