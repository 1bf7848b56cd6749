//! Cases as reviewers see them: the filtered, sorted list; one case with its reports and history; status
//! changes with notes; and the rows exported for takedown requests.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::db::Db;

/// The statuses a case moves through.
pub const STATUSES: &[&str] = &["new", "confirmed_scam", "not_scam", "takedown_requested", "removed"];

/// Statuses that mean "this is a scam" (exported for takedown requests).
pub const CONFIRMED: &[&str] = &["confirmed_scam", "takedown_requested", "removed"];

/// One case, as listed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Case {
    /// Id.
    pub id: i64,
    /// Normalised URL of the posting.
    pub url: String,
    /// Its domain.
    pub domain: String,
    /// The first non-empty title reported.
    pub title: String,
    /// Status.
    pub status: String,
    /// Number of reports.
    pub report_count: i64,
    /// Highest score reported.
    pub max_score: i64,
    /// Language of the latest report.
    pub lang: String,
    /// First report (Unix seconds).
    pub first_reported: i64,
    /// Latest report (Unix seconds).
    pub last_reported: i64,
    /// Last change (Unix seconds).
    pub updated_at: i64,
}

type CaseRow = (i64, String, String, String, String, i64, i64, String, i64, i64, i64);

const CASE_COLUMNS: &str =
    "id, url_norm, domain, title, status, report_count, max_score, lang, first_reported, last_reported, updated_at";

fn case_from(r: CaseRow) -> Case {
    Case {
        id: r.0,
        url: r.1,
        domain: r.2,
        title: r.3,
        status: r.4,
        report_count: r.5,
        max_score: r.6,
        lang: r.7,
        first_reported: r.8,
        last_reported: r.9,
        updated_at: r.10,
    }
}

/// How to sort the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Most reports first, then highest score.
    #[default]
    Reports,
    /// Highest score first, then most reports.
    Score,
    /// Most recently reported first.
    Recent,
}

impl Sort {
    /// Parses `reports`, `score` or `recent`.
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "reports" => Some(Sort::Reports),
            "score" => Some(Sort::Score),
            "recent" => Some(Sort::Recent),
            _ => None,
        }
    }

    fn order_by(self) -> &'static str {
        match self {
            Sort::Reports => "report_count DESC, max_score DESC, id DESC",
            Sort::Score => "max_score DESC, report_count DESC, id DESC",
            Sort::Recent => "last_reported DESC, id DESC",
        }
    }
}

/// Filters on the case list; every one optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Domain, matching it and its subdomains.
    pub domain: Option<String>,
    /// One status.
    pub status: Option<String>,
    /// Language of the latest report.
    pub lang: Option<String>,
    /// Reported on or after (Unix seconds).
    pub from: Option<i64>,
    /// Reported before (Unix seconds).
    pub until: Option<i64>,
    /// Order.
    pub sort: Sort,
}

/// Builds a `WHERE` clause with `$n` placeholders (both backends accept them) and its values.
enum Bind {
    Text(String),
    Int(i64),
}

fn where_clause(f: &Filter) -> (String, Vec<Bind>) {
    let mut parts = Vec::new();
    let mut binds = Vec::new();
    if let Some(d) = &f.domain {
        let d = d.trim().trim_start_matches("www.").to_ascii_lowercase();
        binds.push(Bind::Text(d.clone()));
        binds.push(Bind::Text(format!("%.{}", d.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))));
        parts.push(format!("(domain = ${} OR domain LIKE ${} ESCAPE '\\')", binds.len() - 1, binds.len()));
    }
    if let Some(s) = &f.status {
        binds.push(Bind::Text(s.clone()));
        parts.push(format!("status = ${}", binds.len()));
    }
    if let Some(l) = &f.lang {
        binds.push(Bind::Text(l.clone()));
        parts.push(format!("lang = ${}", binds.len()));
    }
    if let Some(t) = f.from {
        binds.push(Bind::Int(t));
        parts.push(format!("last_reported >= ${}", binds.len()));
    }
    if let Some(t) = f.until {
        binds.push(Bind::Int(t));
        parts.push(format!("first_reported < ${}", binds.len()));
    }
    let sql = if parts.is_empty() { String::new() } else { format!(" WHERE {}", parts.join(" AND ")) };
    (sql, binds)
}

/// One page of cases matching `f`, and the total number matching.
pub async fn list(db: &Db, f: &Filter, limit: i64, offset: i64) -> Result<(Vec<Case>, i64), sqlx::Error> {
    let (cond, binds) = where_clause(f);
    let sql =
        format!("SELECT {CASE_COLUMNS} FROM cases{cond} ORDER BY {} LIMIT {limit} OFFSET {offset}", f.sort.order_by());
    let mut q = sqlx::query_as::<_, CaseRow>(&sql);
    for b in &binds {
        q = match b {
            Bind::Text(s) => q.bind(s.clone()),
            Bind::Int(i) => q.bind(*i),
        };
    }
    let rows = q.fetch_all(&db.read).await?;
    let count_sql = format!("SELECT COUNT(*) FROM cases{cond}");
    let mut c = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in &binds {
        c = match b {
            Bind::Text(s) => c.bind(s.clone()),
            Bind::Int(i) => c.bind(*i),
        };
    }
    let total = c.fetch_one(&db.read).await?;
    let cases = rows.into_iter().map(case_from).collect();
    Ok((cases, total))
}

/// One case.
pub async fn get(db: &Db, id: i64) -> Result<Option<Case>, sqlx::Error> {
    let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1");
    let row: Option<CaseRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&db.read).await?;
    Ok(row.map(case_from))
}

/// One report of a case, as the reviewer sees it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReportRow {
    /// Report id.
    pub id: String,
    /// The URL as the reader sent it.
    pub url: String,
    /// Page title.
    pub title: String,
    /// Matched rule ids.
    pub rules: Vec<String>,
    /// Score.
    pub score: i64,
    /// Level.
    pub level: String,
    /// Pack version.
    pub pack_version: i64,
    /// Extension version.
    pub extension_version: String,
    /// Reader's language.
    pub lang: String,
    /// Reader's country.
    pub country: Option<String>,
    /// The excerpt the reader approved.
    pub excerpt: Option<String>,
    /// The reader's comment.
    pub comment: Option<String>,
    /// Received (Unix seconds).
    pub created_at: i64,
}

type ReportTuple = (
    String,
    String,
    String,
    String,
    i64,
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

/// The reports of a case, newest first (at most 500).
pub async fn reports(db: &Db, case_id: i64) -> Result<Vec<ReportRow>, sqlx::Error> {
    let rows: Vec<ReportTuple> = sqlx::query_as(
        "SELECT id, url, title, rules, score, level, pack_version, extension_version, lang, country, excerpt, \
                comment, created_at FROM reports WHERE case_id = $1 ORDER BY created_at DESC, id LIMIT 500",
    )
    .bind(case_id)
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ReportRow {
            id: r.0,
            url: r.1,
            title: r.2,
            rules: serde_json::from_str(&r.3).unwrap_or_default(),
            score: r.4,
            level: r.5,
            pack_version: r.6,
            extension_version: r.7,
            lang: r.8,
            country: r.9,
            excerpt: r.10,
            comment: r.11,
            created_at: r.12,
        })
        .collect())
}

/// A status change.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Event {
    /// When (Unix seconds).
    pub at: i64,
    /// Who.
    pub reviewer: String,
    /// Status before.
    pub from_status: String,
    /// Status after.
    pub to_status: String,
    /// The reviewer's note.
    pub note: String,
}

/// A case's history, oldest first.
pub async fn events(db: &Db, case_id: i64) -> Result<Vec<Event>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT at, reviewer, from_status, to_status, note FROM case_events WHERE case_id = $1 ORDER BY at, id",
    )
    .bind(case_id)
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, reviewer, from_status, to_status, note)| Event { at, reviewer, from_status, to_status, note })
        .collect())
}

/// Sets a case's status (or only adds a note when it is unchanged), recording who did it. Returns false
/// when there is no such case.
pub async fn set_status(
    db: &Db,
    case_id: i64,
    status: &str,
    note: &str,
    reviewer: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.write.begin().await?;
    let old: Option<(String,)> =
        sqlx::query_as("SELECT status FROM cases WHERE id = $1").bind(case_id).fetch_optional(&mut *tx).await?;
    let Some((old,)) = old else {
        tx.rollback().await?;
        return Ok(false);
    };
    sqlx::query("UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO case_events (case_id, at, reviewer, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case_id)
    .bind(now)
    .bind(reviewer)
    .bind(old)
    .bind(status)
    .bind(note)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A case ready for a takedown request: the posting, how often and how strongly it was reported, the rules
/// that matched (with how many reports matched each), where readers were, and the reviewers' notes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExportCase {
    /// Case id.
    pub case_id: i64,
    /// The posting's URL (normalised).
    pub url: String,
    /// Its domain.
    pub domain: String,
    /// Its title.
    pub title: String,
    /// Status.
    pub status: String,
    /// Reports received.
    pub report_count: i64,
    /// Highest score.
    pub max_score: i64,
    /// First report, RFC 3339.
    pub first_reported: String,
    /// Latest report, RFC 3339.
    pub last_reported: String,
    /// Rule id -> number of reports that matched it.
    pub rules: BTreeMap<String, i64>,
    /// Countries of the readers who reported it.
    pub countries: Vec<String>,
    /// Reviewers' notes, oldest first (`reviewer: note`).
    pub notes: Vec<String>,
    /// Why the rules flag it, in English, from the pack served (`rule: explanation`); filled by the caller.
    pub reasons: Vec<String>,
}

/// The cases with one of `statuses`, most reported first (at most 10 000).
pub async fn export(db: &Db, statuses: &[&str]) -> Result<Vec<ExportCase>, sqlx::Error> {
    let mut out = Vec::new();
    for status in statuses {
        let f = Filter { status: Some(status.to_string()), ..Filter::default() };
        let (cases, _) = list(db, &f, 10_000, 0).await?;
        for c in cases {
            let mut rules = BTreeMap::new();
            let mut countries = Vec::new();
            let rows: Vec<(String, Option<String>)> =
                sqlx::query_as("SELECT rules, country FROM reports WHERE case_id = $1")
                    .bind(c.id)
                    .fetch_all(&db.read)
                    .await?;
            for (r, country) in rows {
                for rule in serde_json::from_str::<Vec<String>>(&r).unwrap_or_default() {
                    *rules.entry(rule).or_insert(0) += 1;
                }
                if let Some(k) = country {
                    if !countries.contains(&k) {
                        countries.push(k);
                    }
                }
            }
            countries.sort();
            let notes = events(db, c.id)
                .await?
                .into_iter()
                .filter(|e| !e.note.trim().is_empty())
                .map(|e| format!("{}: {}", e.reviewer, e.note))
                .collect();
            out.push(ExportCase {
                case_id: c.id,
                url: c.url,
                domain: c.domain,
                title: c.title,
                status: c.status,
                report_count: c.report_count,
                max_score: c.max_score,
                first_reported: crate::clock::rfc3339(c.first_reported),
                last_reported: crate::clock::rfc3339(c.last_reported),
                rules,
                countries,
                notes,
                reasons: Vec::new(),
            });
        }
    }
    out.sort_by(|a, b| b.report_count.cmp(&a.report_count).then(a.case_id.cmp(&b.case_id)));
    Ok(out)
}

/// Writes export rows as CSV. Cells a spreadsheet would run as a formula get a leading `'`.
pub fn to_csv(rows: &[ExportCase]) -> Result<String, csv::Error> {
    fn cell(s: &str) -> String {
        if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{s}")
        } else {
            s.to_string()
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "case_id",
        "url",
        "domain",
        "title",
        "status",
        "report_count",
        "max_score",
        "first_reported",
        "last_reported",
        "rules",
        "countries",
        "notes",
        "reasons",
    ])?;
    for r in rows {
        let rules = r.rules.iter().map(|(k, v)| format!("{k} ({v})")).collect::<Vec<_>>().join("; ");
        w.write_record([
            r.case_id.to_string(),
            cell(&r.url),
            cell(&r.domain),
            cell(&r.title),
            r.status.clone(),
            r.report_count.to_string(),
            r.max_score.to_string(),
            r.first_reported.clone(),
            r.last_reported.clone(),
            cell(&rules),
            r.countries.join(" "),
            cell(&r.notes.join(" | ")),
            cell(&r.reasons.join(" | ")),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let row = ExportCase {
            case_id: 7,
            url: "https://x.example/a?b=1,2".into(),
            domain: "x.example".into(),
            title: "=HYPERLINK(\"http://evil\",\"click\")".into(),
            status: "confirmed_scam".into(),
            report_count: 3,
            max_score: 90,
            first_reported: "2026-11-29T00:00:00Z".into(),
            last_reported: "2026-11-29T01:00:00Z".into(),
            rules: BTreeMap::from([("ko.pay.high".to_string(), 3), ("ko.travel.flight_paid".to_string(), 1)]),
            countries: vec!["KR".into(), "VN".into()],
            notes: vec!["kim: line one\nline two".into()],
            reasons: vec!["ko.pay.high: Pay far above the work.".into()],
        };
        let csv = to_csv(&[row]).unwrap();
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(&rec[1], "https://x.example/a?b=1,2");
        assert_eq!(&rec[3], "'=HYPERLINK(\"http://evil\",\"click\")");
        assert_eq!(&rec[9], "ko.pay.high (3); ko.travel.flight_paid (1)");
        assert_eq!(&rec[10], "KR VN");
        assert_eq!(&rec[11], "kim: line one\nline two");
        assert_eq!(&rec[12], "ko.pay.high: Pay far above the work.");
    }
}
