//! Crawled postings join the triage (`jobguard-monitor ingest`, `POST /v1/ingest`): JSON lines of postings
//! (`url`, `title`, `text` or `html`), each scored with the served pack's classifier and its contact
//! indicators; a flagged posting (caution or danger) opens a case with source `scan` (one per normalised URL,
//! so re-ingesting a file opens nothing new) and keeps what the scan saw. A malformed line is reported with
//! its number and skipped; nothing else is lost.

use jobguard::{Classifier, Level, PageInput, Verdict};
use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::indicators::{store, IndicatorIn};
use crate::urlnorm::normalize;

/// Longest line accepted (bytes).
pub const MAX_LINE: usize = 2 * 1024 * 1024;
/// Postings scored and written per transaction.
const BATCH: usize = 500;
/// Characters of text kept as the scan's excerpt.
const EXCERPT: usize = 4000;

/// One posting line.
#[derive(Debug, Deserialize)]
struct Line {
    url: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    html: Option<String>,
}

/// A line that could not be used.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BadLine {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub error: String,
}

/// What an ingest did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Summary {
    /// Non-empty lines read.
    pub read: usize,
    /// Postings scored.
    pub scored: usize,
    /// Postings at caution or danger.
    pub flagged: usize,
    /// Cases opened (flagged postings whose URL had no case yet).
    pub opened: usize,
    /// Malformed lines (at most the first 1000 listed).
    pub malformed: Vec<BadLine>,
    /// How many lines were malformed.
    pub malformed_count: usize,
}

/// A posting ready to store.
struct Scored {
    url: String,
    url_norm: String,
    domain: String,
    title: String,
    text: String,
    verdict: Verdict,
}

fn parse(line: &str, classifier: &Classifier) -> Result<Scored, String> {
    let l: Line = serde_json::from_str(line).map_err(|e| format!("not a posting: {e}"))?;
    let norm = normalize(&l.url).map_err(|e| format!("url: {e}"))?;
    let (input, verdict) = match (l.text, l.html) {
        (Some(text), _) => {
            let input = PageInput { text, title: l.title.clone(), lang: Some("en".into()), ..Default::default() };
            let verdict = classifier.score(&input).map_err(|e| format!("cannot score: {e}"))?;
            (input, verdict)
        }
        (None, Some(html)) => {
            // Read as the extension and `jobguard scan` read a page (jobguard::page): the posting, or each card of
            // a list on its own, so a board's menus, filters and footers never flag a crawled page.
            let mut input = jobguard::page::html::page_input(&html, Some(&l.url));
            input.title = l.title.clone().or(input.title);
            input.lang = Some("en".into());
            let reading = classifier.read_page(&input).map_err(|e| format!("cannot score: {e}"))?;
            let worst = reading
                .posting
                .map(|p| p.verdict)
                .into_iter()
                .chain(reading.cards.into_iter().map(|c| c.verdict))
                .max_by_key(|v| (v.level, v.score));
            let verdict = match worst {
                Some(v) => v,
                None => classifier.score(&PageInput::default()).map_err(|e| format!("cannot score: {e}"))?,
            };
            (input, verdict)
        }
        (None, None) => return Err("needs text or html".into()),
    };
    Ok(Scored {
        url: l.url,
        url_norm: norm.url,
        domain: norm.domain,
        title: l.title.unwrap_or_default().chars().take(1000).collect(),
        text: input.text.chars().take(EXCERPT).collect(),
        verdict,
    })
}

/// Scores and stores the postings of `lines` (JSON lines; `first_line` numbers the first), adding to `sum`.
pub async fn ingest_batch(
    db: &Db,
    classifier: &Classifier,
    lines: &[(usize, String)],
    now: i64,
    sum: &mut Summary,
) -> Result<(), sqlx::Error> {
    let mut flagged = Vec::new();
    for (n, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        sum.read += 1;
        match parse(line, classifier) {
            Ok(s) => {
                sum.scored += 1;
                if s.verdict.level != Level::Safe {
                    flagged.push(s);
                }
            }
            Err(error) => {
                sum.malformed_count += 1;
                if sum.malformed.len() < 1000 {
                    sum.malformed.push(BadLine { line: *n, error });
                }
            }
        }
    }
    sum.flagged += flagged.len();
    if flagged.is_empty() {
        return Ok(());
    }
    let mut tx = db.write.begin().await?;
    for s in &flagged {
        let opened: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO cases (url_norm, domain, title, status, report_count, max_score, lang, first_reported, \
                                last_reported, updated_at, source) \
             VALUES ($1, $2, $3, 'new', 0, $4, '', $5, $5, $5, 'scan') ON CONFLICT (url_norm) DO NOTHING RETURNING id",
        )
        .bind(&s.url_norm)
        .bind(&s.domain)
        .bind(&s.title)
        .bind(i64::from(s.verdict.score))
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let case_id = match opened {
            Some((id,)) => {
                sum.opened += 1;
                id
            }
            None => {
                let (id,): (i64,) = sqlx::query_as("SELECT id FROM cases WHERE url_norm = $1")
                    .bind(&s.url_norm)
                    .fetch_one(&mut *tx)
                    .await?;
                id
            }
        };
        let rules: Vec<&str> = s.verdict.reasons.iter().map(|r| r.rule.as_str()).collect();
        sqlx::query(
            "INSERT INTO scans (url_norm, case_id, url, title, score, level, rules, excerpt, scanned_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (url_norm) DO NOTHING",
        )
        .bind(&s.url_norm)
        .bind(case_id)
        .bind(&s.url)
        .bind(&s.title)
        .bind(i64::from(s.verdict.score))
        .bind(s.verdict.level.as_str())
        .bind(serde_json::to_string(&rules).unwrap_or_default())
        .bind(&s.text)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let inds: Vec<IndicatorIn> =
            s.verdict.indicators.iter().map(|i| IndicatorIn { kind: i.kind, value: i.value.clone() }).collect();
        store::attach(&mut tx, None, case_id, &inds, now).await?;
    }
    tx.commit().await
}

/// Reads JSON lines from `reader` and ingests them in batches.
pub async fn ingest_reader<R: std::io::BufRead>(
    db: &Db,
    classifier: &Classifier,
    reader: R,
    now: i64,
) -> Result<Summary, sqlx::Error> {
    let mut sum = Summary::default();
    let mut batch = Vec::with_capacity(BATCH);
    for (i, line) in reader.split(b'\n').enumerate() {
        let n = i + 1;
        match line {
            Ok(bytes) if bytes.len() > MAX_LINE => {
                sum.read += 1;
                sum.malformed_count += 1;
                sum.malformed.push(BadLine { line: n, error: format!("longer than {MAX_LINE} bytes") });
            }
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(s) => batch.push((n, s)),
                Err(_) => {
                    sum.read += 1;
                    sum.malformed_count += 1;
                    sum.malformed.push(BadLine { line: n, error: "not UTF-8".into() });
                }
            },
            Err(e) => return Err(sqlx::Error::Io(e)),
        }
        if batch.len() >= BATCH {
            ingest_batch(db, classifier, &batch, now, &mut sum).await?;
            batch.clear();
        }
    }
    ingest_batch(db, classifier, &batch, now, &mut sum).await?;
    Ok(sum)
}

/// Largest body `POST /v1/ingest` takes.
pub const MAX_INGEST_BODY: usize = 64 * 1024 * 1024;

/// `POST /v1/ingest` (admin token): the body is JSON lines of postings; answers the [`Summary`].
pub async fn post(
    axum::extract::State(st): axum::extract::State<crate::app::AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<axum::Json<Summary>, crate::error::ApiError> {
    use crate::error::ApiError;
    let Some(token) = &st.settings.admin_token else {
        return Err(ApiError::Forbidden("ingest is switched off: start the service with JOBGUARD_ADMIN_TOKEN"));
    };
    let ip = crate::ratelimit::client_ip(peer, &headers, st.settings.client_ip_header.as_ref());
    st.login_limit.check(ip).map_err(ApiError::RateLimited)?;
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthorized("an admin token is required (Authorization: Bearer ...)"))?;
    if !crate::token::secret_eq(given.trim(), token) {
        return Err(ApiError::Unauthorized("wrong admin token"));
    }
    let served = st.packs.current().ok_or(ApiError::Internal("no pack is available".into()))?;
    let classifier = served.classifier.clone().ok_or(ApiError::Internal("the served pack does not compile".into()))?;
    let sum = ingest_reader(&st.db, &classifier, std::io::Cursor::new(body), crate::clock::now()).await?;
    tracing::info!(read = sum.read, opened = sum.opened, malformed = sum.malformed_count, "postings ingested");
    Ok(axum::Json(sum))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classifier() -> Classifier {
        Classifier::new(jobguard::bundled::pack().expect("bundled rules")).expect("bundled pack")
    }

    fn html_line(html: &str) -> String {
        serde_json::json!({ "url": "https://board.example/jobs/view/1", "html": html }).to_string()
    }

    #[test]
    fn html_postings_are_read_like_the_extension_reads_them() {
        let c = classifier();
        let lure = html_line(
            "<html><head><title>상담원 모집</title></head><body><nav><a href='/'>홈</a> <a href='/jobs'>채용</a></nav>\
             <main><h1>해외 상담원 모집</h1><p>캄보디아 현지 근무, 항공권·숙소 제공, 월 1500만원 보장, \
             텔레그램 @abc_recruit 문의</p></main><footer>고객센터</footer></body></html>",
        );
        let s = parse(&lure, &c).unwrap();
        assert_ne!(s.verdict.level, Level::Safe, "{:?}", s.verdict);
        assert!(s.verdict.indicators.iter().any(|i| i.value == "abc_recruit"), "{:?}", s.verdict.indicators);
        assert!(!s.text.contains("<p>") && s.text.contains("캄보디아"), "{}", s.text);

        // An ordinary posting on a board whose menu and footer carry words that flag the page read whole.
        let menu = "<nav><ul><li><a href='/a'>해외취업 캄보디아 월 1000만원 고수익</a></li>\
                    <li><a href='/b'>항공권 숙소 제공 일자리</a></li><li><a href='https://t.me/board_news'>텔레그램 \
                    채널 문의</a></li></ul></nav>";
        let plain = format!(
            "<html><head><title>물류센터 상품 분류</title></head><body>{menu}<main><h1>물류센터 상품 분류 \
             사원 모집</h1><p>주간 근무, 시급 10,030원, 인천 서구. 4대 보험, 식사 제공. 경력 무관, \
             성실하신 분을 찾습니다. 근무 시간은 오전 9시부터 오후 6시까지이며 주 5일 근무입니다.</p>\
             <p>지원은 채용 페이지의 지원하기 버튼으로 해 주세요.</p></main></body></html>"
        );
        let whole = jobguard::page::html::page_input(&plain, None);
        let whole = c.score(&PageInput { outline: None, ..whole }).unwrap();
        assert_ne!(
            whole.level,
            Level::Safe,
            "the menu alone must flag the page read whole, or this test proves nothing"
        );
        let s = parse(&html_line(&plain), &c).unwrap();
        assert_eq!(s.verdict.level, Level::Safe, "{:?}", s.verdict.reasons);
    }
}
