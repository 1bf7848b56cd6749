//! Indicators in the database: attached to a case when a report or a scan carries them, counted across cases
//! ("in 14 reported ads on 6 sites since 3 Dec"), and confirmed or rejected by reviewers with a note, every
//! decision kept in `indicator_events`.

use jobguard::indicators::IndicatorKind;
use sqlx::AnyConnection;

use super::IndicatorIn;
use crate::db::Db;

/// Not reviewed yet.
pub const NEW: &str = "new";
/// A reviewer confirmed it is a scammer's contact: it goes into the signed indicator list.
pub const CONFIRMED: &str = "confirmed";
/// A reviewer rejected it (an ordinary contact, a job board's own address) or withdrew a confirmation.
pub const REJECTED: &str = "rejected";
/// Every indicator status.
pub const STATUSES: &[&str] = &[NEW, CONFIRMED, REJECTED];

/// Attaches `inds` to a case (inside the caller's transaction) and records them on the report, if any.
pub async fn attach(
    conn: &mut AnyConnection,
    report_id: Option<&str>,
    case_id: i64,
    inds: &[IndicatorIn],
    now: i64,
) -> Result<(), sqlx::Error> {
    for ind in inds {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO indicators (kind, value, status, first_seen, last_seen, updated_at) \
             VALUES ($1, $2, 'new', $3, $3, $3) \
             ON CONFLICT (kind, value) DO UPDATE SET last_seen = excluded.last_seen RETURNING id",
        )
        .bind(ind.kind.as_str())
        .bind(&ind.value)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO case_indicators (case_id, indicator_id, first_seen) VALUES ($1, $2, $3) \
             ON CONFLICT (case_id, indicator_id) DO NOTHING",
        )
        .bind(case_id)
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    if let Some(rid) = report_id {
        if !inds.is_empty() {
            let json: Vec<serde_json::Value> =
                inds.iter().map(|i| serde_json::json!({ "kind": i.kind.as_str(), "value": i.value })).collect();
            sqlx::query("UPDATE reports SET indicators = $1 WHERE id = $2")
                .bind(serde_json::Value::Array(json).to_string())
                .bind(rid)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// An indicator with its counts across cases.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Row id.
    pub id: i64,
    /// Kind (`telegram`, `phone`...).
    pub kind: String,
    /// Normalised value.
    pub value: String,
    /// `new`, `confirmed` or `rejected`.
    pub status: String,
    /// Cases (postings, reported or scanned) that carry it.
    pub cases: i64,
    /// Distinct sites (case domains) among them.
    pub sites: i64,
    /// Reports of those cases.
    pub reports: i64,
    /// When it was first seen (Unix seconds).
    pub first_seen: i64,
    /// When it was last seen.
    pub last_seen: i64,
}

type SummaryRow = (i64, String, String, String, i64, i64, i64, i64, i64);

const SUMMARY_SELECT: &str = "SELECT i.id, i.kind, i.value, i.status, COUNT(c.id), COUNT(DISTINCT c.domain), \
     CAST(COALESCE(SUM(c.report_count), 0) AS BIGINT), i.first_seen, i.last_seen \
     FROM indicators i JOIN case_indicators ci ON ci.indicator_id = i.id JOIN cases c ON c.id = ci.case_id";
const SUMMARY_GROUP: &str = " GROUP BY i.id, i.kind, i.value, i.status, i.first_seen, i.last_seen";

fn summary(r: SummaryRow) -> Summary {
    Summary {
        id: r.0,
        kind: r.1,
        value: r.2,
        status: r.3,
        cases: r.4,
        sites: r.5,
        reports: r.6,
        first_seen: r.7,
        last_seen: r.8,
    }
}

/// The indicators of one case, with their counts across all cases (most widespread first).
pub async fn for_case(db: &Db, case_id: i64) -> Result<Vec<Summary>, sqlx::Error> {
    let sql = format!(
        "{SUMMARY_SELECT} WHERE i.id IN (SELECT indicator_id FROM case_indicators WHERE case_id = $1){SUMMARY_GROUP} \
         ORDER BY COUNT(c.id) DESC, i.kind, i.value"
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).bind(case_id).fetch_all(&db.read).await?;
    Ok(rows.into_iter().map(summary).collect())
}

/// Indicators across cases, most widespread first; `status`/`kind` narrow the list ("" for any).
pub async fn list(db: &Db, status: &str, kind: &str, limit: i64) -> Result<Vec<Summary>, sqlx::Error> {
    let sql = format!(
        "{SUMMARY_SELECT} WHERE ($1 = '' OR i.status = $1) AND ($2 = '' OR i.kind = $2){SUMMARY_GROUP} \
         ORDER BY COUNT(c.id) DESC, i.last_seen DESC, i.id LIMIT $3"
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).bind(status).bind(kind).bind(limit).fetch_all(&db.read).await?;
    Ok(rows.into_iter().map(summary).collect())
}

/// One indicator with its counts.
pub async fn get(db: &Db, id: i64) -> Result<Option<Summary>, sqlx::Error> {
    let sql = format!("{SUMMARY_SELECT} WHERE i.id = $1{SUMMARY_GROUP}");
    let row: Option<SummaryRow> = sqlx::query_as(&sql).bind(id).fetch_optional(&db.read).await?;
    Ok(row.map(summary))
}

/// Looks an indicator up by kind and value.
pub async fn find(db: &Db, kind: IndicatorKind, value: &str) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM indicators WHERE kind = $1 AND value = $2")
        .bind(kind.as_str())
        .bind(value)
        .fetch_optional(&db.read)
        .await?;
    Ok(row.map(|r| r.0))
}

/// A case carrying an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRef {
    /// Case id.
    pub id: i64,
    /// The posting's normalised URL.
    pub url: String,
    /// Its domain.
    pub domain: String,
    /// The case's status.
    pub status: String,
    /// Reports of it.
    pub reports: i64,
    /// When the indicator was first seen on it.
    pub first_seen: i64,
}

/// The cases carrying an indicator, newest first (at most `limit`).
pub async fn cases_of(db: &Db, id: i64, limit: i64) -> Result<Vec<CaseRef>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT c.id, c.url_norm, c.domain, c.status, c.report_count, ci.first_seen FROM case_indicators ci \
         JOIN cases c ON c.id = ci.case_id WHERE ci.indicator_id = $1 ORDER BY ci.first_seen DESC, c.id DESC LIMIT $2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CaseRef { id: r.0, url: r.1, domain: r.2, status: r.3, reports: r.4, first_seen: r.5 })
        .collect())
}

/// A reviewer's decision on an indicator: the same record as a case's status change.
pub use crate::cases::Event;

/// An indicator's history, oldest first.
pub async fn events(db: &Db, id: i64) -> Result<Vec<Event>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT at, reviewer, from_status, to_status, note FROM indicator_events WHERE indicator_id = $1 ORDER BY at, id",
    )
    .bind(id)
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Event { at: r.0, reviewer: r.1, from_status: r.2, to_status: r.3, note: r.4 })
        .collect())
}

/// Sets an indicator's status (or adds a note), recording who did it. False when there is no such indicator.
pub async fn set_status(
    db: &Db,
    id: i64,
    status: &str,
    note: &str,
    reviewer: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.write.begin().await?;
    let old: Option<(String,)> =
        sqlx::query_as("SELECT status FROM indicators WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
    let Some((old,)) = old else {
        tx.rollback().await?;
        return Ok(false);
    };
    sqlx::query("UPDATE indicators SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO indicator_events (indicator_id, at, reviewer, from_status, to_status, note) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
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

/// Confirmed indicators with the number of cases carrying each (for the signed indicator list), and the
/// latest change to any indicator's status (the list's version).
pub async fn confirmed(db: &Db) -> Result<(Vec<(IndicatorKind, String, i64)>, i64), sqlx::Error> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT i.kind, i.value, COUNT(ci.case_id) FROM indicators i \
         LEFT JOIN case_indicators ci ON ci.indicator_id = i.id WHERE i.status = 'confirmed' \
         GROUP BY i.id, i.kind, i.value ORDER BY i.kind, i.value",
    )
    .fetch_all(&db.read)
    .await?;
    let (changed,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(at), 0) FROM indicator_events").fetch_one(&db.read).await?;
    let list = rows.into_iter().filter_map(|(k, v, n)| IndicatorKind::parse(&k).map(|k| (k, v, n))).collect();
    Ok((list, changed))
}
