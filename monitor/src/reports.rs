//! Storing readers' reports (one case per posting, counted; retries deduplicated by idempotency key),
//! looking a report up by id, and storing "not a scam" feedback counted per rule.

use serde::Serialize;
use sqlx::{Any, Executor};

use crate::db::{is_unique_violation, Db};
use crate::error::ApiError;
use crate::token::new_id;
use crate::validate::{FeedbackIn, ReportIn};

/// A stored report, as answered to the reader.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Receipt {
    /// The report's id.
    pub id: String,
    /// The case it belongs to.
    pub case_id: i64,
    /// The case's status now.
    pub status: String,
    /// Where to look the report up later.
    pub status_url: String,
    /// False when this was a retry of a report already stored.
    #[serde(skip)]
    pub created: bool,
}

/// What became of a report: the answer to `GET /v1/reports/{id}`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReportStatus {
    /// The report's id.
    pub id: String,
    /// Its case.
    pub case_id: i64,
    /// The case's status (`new`, `confirmed_scam`, `not_scam`, `takedown_requested`, `removed`).
    pub status: String,
    /// How many reports the case has.
    pub report_count: i64,
    /// When the report was received (Unix seconds).
    pub reported_at: i64,
    /// When the case last changed (Unix seconds).
    pub updated_at: i64,
}

async fn by_key<'e, E>(ex: E, key: &str) -> Result<Option<(Receipt, String)>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let row: Option<(String, i64, String, String)> = sqlx::query_as(
        "SELECT r.id, r.case_id, c.status, c.url_norm FROM reports r JOIN cases c ON c.id = r.case_id \
         WHERE r.idempotency_key = $1",
    )
    .bind(key)
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|(id, case_id, status, url)| (receipt(id, case_id, status, false), url)))
}

fn receipt(id: String, case_id: i64, status: String, created: bool) -> Receipt {
    let status_url = format!("/v1/reports/{id}");
    Receipt { id, case_id, status, status_url, created }
}

/// A retry must be of the same posting; reusing a key for another one is a client bug worth reporting.
fn same_posting(found: (Receipt, String), r: &ReportIn) -> Result<Receipt, ApiError> {
    if found.1 == r.norm.url {
        Ok(found.0)
    } else {
        Err(ApiError::Conflict("idempotency_key was already used for a report of another URL".into()))
    }
}

/// Stores a report: counts it on its posting's case (creating the case), unless a report with the same
/// idempotency key exists, in which case that one is returned with `created == false`. Returns only
/// after the transaction committed.
pub async fn store(db: &Db, r: &ReportIn, now: i64) -> Result<Receipt, ApiError> {
    if let Some(found) = by_key(&db.read, &r.idempotency_key).await? {
        return same_posting(found, r);
    }
    match insert(db, r, now).await {
        Ok(Inserted::New(rec)) => Ok(rec),
        Ok(Inserted::Existing(found)) => same_posting(found, r),
        // Another request with the same key committed between our check and our insert (PostgreSQL;
        // on SQLite writes are serialised): the transaction rolled back, so nothing was counted twice.
        Err(e) if is_unique_violation(&e) => match by_key(&db.write, &r.idempotency_key).await? {
            Some(found) => same_posting(found, r),
            None => Err(ApiError::Db(e)),
        },
        Err(e) => Err(ApiError::Db(e)),
    }
}

/// What [`insert`] did.
enum Inserted {
    /// Stored a new report.
    New(Receipt),
    /// Found one with the same key (and its case's URL), stored meanwhile by a concurrent request.
    Existing((Receipt, String)),
}

async fn insert(db: &Db, r: &ReportIn, now: i64) -> Result<Inserted, sqlx::Error> {
    let mut tx = db.write.begin().await?;
    // Checked again inside the transaction: on SQLite it holds the only write connection, so this is final.
    if let Some(found) = by_key(&mut *tx, &r.idempotency_key).await? {
        tx.rollback().await?;
        return Ok(Inserted::Existing(found));
    }
    let (case_id, status): (i64, String) = sqlx::query_as(
        "INSERT INTO cases (url_norm, domain, title, status, report_count, max_score, lang, first_reported, \
                            last_reported, updated_at) \
         VALUES ($1, $2, $3, 'new', 1, $4, $5, $6, $6, $6) \
         ON CONFLICT (url_norm) DO UPDATE SET \
           report_count = cases.report_count + 1, \
           max_score = CASE WHEN excluded.max_score > cases.max_score THEN excluded.max_score \
                            ELSE cases.max_score END, \
           title = CASE WHEN cases.title = '' THEN excluded.title ELSE cases.title END, \
           lang = excluded.lang, \
           last_reported = excluded.last_reported, \
           updated_at = excluded.updated_at \
         RETURNING id, status",
    )
    .bind(&r.norm.url)
    .bind(&r.norm.domain)
    .bind(&r.title)
    .bind(r.score)
    .bind(&r.lang)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let id = new_id("r_");
    let rules = serde_json::to_string(&r.rules).unwrap_or_else(|_| "[]".into());
    sqlx::query(
        "INSERT INTO reports (id, idempotency_key, case_id, url, title, rules, score, level, pack_version, \
                              extension_version, lang, country, excerpt, comment, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(&id)
    .bind(&r.idempotency_key)
    .bind(case_id)
    .bind(&r.url)
    .bind(&r.title)
    .bind(rules)
    .bind(r.score)
    .bind(&r.level)
    .bind(r.pack_version)
    .bind(&r.extension_version)
    .bind(&r.lang)
    .bind(&r.country)
    .bind(&r.excerpt)
    .bind(&r.comment)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    crate::indicators::store::attach(&mut tx, Some(&id), case_id, &r.indicators, now).await?;
    tx.commit().await?;
    Ok(Inserted::New(receipt(id, case_id, status, true)))
}

/// Looks a report up by id.
pub async fn status(db: &Db, id: &str) -> Result<Option<ReportStatus>, sqlx::Error> {
    let row: Option<(String, i64, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT r.id, r.case_id, c.status, c.report_count, r.created_at, c.updated_at \
         FROM reports r JOIN cases c ON c.id = r.case_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.read)
    .await?;
    Ok(row.map(|(id, case_id, status, report_count, reported_at, updated_at)| ReportStatus {
        id,
        case_id,
        status,
        report_count,
        reported_at,
        updated_at,
    }))
}

/// Stores "not a scam" feedback and counts it once for each rule it names. Returns `(id, created)`.
pub async fn store_feedback(db: &Db, f: &FeedbackIn, now: i64) -> Result<(String, bool), ApiError> {
    let existing = |row: Option<(String,)>| row.map(|(id,)| (id, false));
    let find = "SELECT id FROM feedback WHERE idempotency_key = $1";
    if let Some(found) = existing(sqlx::query_as(find).bind(&f.idempotency_key).fetch_optional(&db.read).await?) {
        return Ok(found);
    }
    let id = new_id("f_");
    let attempt = async {
        let mut tx = db.write.begin().await?;
        if let Some(found) = existing(sqlx::query_as(find).bind(&f.idempotency_key).fetch_optional(&mut *tx).await?) {
            tx.rollback().await?;
            return Ok(found);
        }
        let rules = serde_json::to_string(&f.rules).unwrap_or_else(|_| "[]".into());
        sqlx::query(
            "INSERT INTO feedback (id, idempotency_key, url_norm, rules, score, pack_version, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(&f.idempotency_key)
        .bind(&f.norm.url)
        .bind(rules)
        .bind(f.score)
        .bind(f.pack_version)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for rule in &f.rules {
            sqlx::query(
                "INSERT INTO rule_feedback (rule, not_scam, last_at) VALUES ($1, 1, $2) \
                 ON CONFLICT (rule) DO UPDATE SET not_scam = rule_feedback.not_scam + 1, last_at = excluded.last_at",
            )
            .bind(rule)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>((id.clone(), true))
    };
    match attempt.await {
        Ok(r) => Ok(r),
        Err(e) if is_unique_violation(&e) => {
            match existing(sqlx::query_as(find).bind(&f.idempotency_key).fetch_optional(&db.write).await?) {
                Some(found) => Ok(found),
                None => Err(ApiError::Db(e)),
            }
        }
        Err(e) => Err(ApiError::Db(e)),
    }
}

/// "Not a scam" counts per rule, most first: `(rule, count, last_at)`.
pub async fn rule_feedback(db: &Db) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT rule, not_scam, last_at FROM rule_feedback ORDER BY not_scam DESC, rule LIMIT 500")
        .fetch_all(&db.read)
        .await
}
