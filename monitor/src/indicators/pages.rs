//! The reviewers' indicator pages: every contact across cases ("this handle appears in 14 reported ads on 6
//! sites since 3 Dec"), one indicator with its cases and history and the confirm/reject form, and the contacts
//! section of a case page.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use time::OffsetDateTime;

use super::store::{self, Summary, STATUSES};
use crate::app::AppState;
use crate::clock::{format_utc, now};
use crate::dashboard::{checked_status_change, layout, page, require, server_error, StatusForm};
use crate::i18n::{t, Lang};

/// Texts of these pages, English and Korean.
fn tx(lang: Lang, key: &str) -> &'static str {
    let (en, ko) = match key {
        "indicators" => ("Contacts", "연락처"),
        "kind" => ("Kind", "종류"),
        "value" => ("Value", "값"),
        "seen" => ("Seen", "출현"),
        "new" => ("new", "신규"),
        "confirmed" => ("confirmed scam contact", "사기 연락처 확인"),
        "rejected" => ("rejected", "기각"),
        "none" => ("No contacts.", "연락처가 없습니다."),
        "review" => ("Review", "검토"),
        "cases" => ("Cases carrying it", "이 연락처가 나온 사례"),
        "phone_region" => ("Number's region", "번호 국가"),
        "phone_invalid" => ("not a valid number there", "해당 국가의 유효한 번호가 아님"),
        _ => ("?", "?"),
    };
    match lang {
        Lang::En => en,
        Lang::Ko => ko,
    }
}

fn day(lang: Lang, t: i64) -> String {
    let en = time::macros::format_description!("[day padding:none] [month repr:short] [year]");
    let ko = time::macros::format_description!("[year]-[month]-[day]");
    let fmt = if lang == Lang::Ko { ko } else { en };
    OffsetDateTime::from_unix_timestamp(t).ok().and_then(|d| d.format(&fmt).ok()).unwrap_or_default()
}

/// The header link's text.
pub fn nav_label(lang: Lang) -> &'static str {
    tx(lang, "indicators")
}

/// "appears in 14 reported ads on 6 sites since 3 Dec 2026".
pub fn seen_sentence(lang: Lang, s: &Summary) -> String {
    let since = day(lang, s.first_seen);
    match lang {
        Lang::En => format!(
            "appears in {} reported ad{} on {} site{} since {since}",
            s.cases,
            if s.cases == 1 { "" } else { "s" },
            s.sites,
            if s.sites == 1 { "" } else { "s" }
        ),
        Lang::Ko => format!("{since}부터 {}개 사이트의 광고 {}건에 등장", s.sites, s.cases),
    }
}

fn status_text(lang: Lang, status: &str) -> &'static str {
    tx(lang, if STATUSES.contains(&status) { status } else { "new" })
}

fn table(lang: Lang, list: &[Summary]) -> Markup {
    html! {
        @if list.is_empty() { p { (tx(lang, "none")) } } @else {
            table {
                thead { tr { th { (tx(lang, "kind")) } th { (tx(lang, "value")) } th { (tx(lang, "seen")) } th { (t(lang, "status")) } } }
                tbody { @for s in list { tr data-indicator=(s.id) data-kind=(s.kind) data-value=(s.value) data-cases=(s.cases) data-sites=(s.sites) {
                    td { (s.kind) }
                    td { a href={ "/dashboard/indicators/" (s.id) } { code { (s.value) } } }
                    td { (seen_sentence(lang, s)) }
                    td class={ "ind-" (s.status) } data-status=(s.status) { (status_text(lang, &s.status)) }
                } } }
            }
        }
    }
}

/// The contacts section of a case page.
pub async fn case_section(st: &AppState, case_id: i64, lang: Lang) -> Result<Markup, sqlx::Error> {
    let list = store::for_case(&st.db, case_id).await?;
    Ok(html! { h2 { (tx(lang, "indicators")) } (table(lang, &list)) })
}

/// `?status=&kind=&lang=`.
#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    kind: String,
    lang: Option<String>,
}

/// `GET /dashboard/indicators`: contacts across cases, most widespread first.
pub async fn list(State(st): State<AppState>, Query(q): Query<ListQuery>, headers: HeaderMap) -> Response {
    let s = match require(&st, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let lang = Lang::choose(q.lang.as_deref(), &headers);
    let status = if STATUSES.contains(&q.status.as_str()) { q.status.as_str() } else { "" };
    let kind = jobguard::IndicatorKind::parse(&q.kind).map_or("", |k| k.as_str());
    let list = match store::list(&st.db, status, kind, 500).await {
        Ok(l) => l,
        Err(e) => return server_error(e),
    };
    let body = html! {
        form.filters method="get" action="/dashboard/indicators" {
            label { (t(lang, "status")) select name="status" {
                option value="" { (t(lang, "any")) }
                @for x in STATUSES { option value=(x) selected[status == *x] { (status_text(lang, x)) } }
            } }
            label { (tx(lang, "kind")) select name="kind" {
                option value="" { (t(lang, "any")) }
                @for k in jobguard::IndicatorKind::ALL { option value=(k.as_str()) selected[kind == k.as_str()] { (k.as_str()) } }
            } }
            button type="submit" { (t(lang, "filter")) }
        }
        (table(lang, &list))
    };
    let title = tx(lang, "indicators");
    page(
        StatusCode::OK,
        q.lang.as_deref(),
        st.settings.secure_cookies,
        layout(lang, title, Some(&s), "/dashboard/indicators", body),
    )
}

/// `?lang=`.
#[derive(Debug, Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
}

/// `GET /dashboard/indicators/{id}`: one contact, its cases, the review form and the history.
pub async fn one(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let s = match require(&st, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let lang = Lang::choose(q.lang.as_deref(), &headers);
    let here = format!("/dashboard/indicators/{id}");
    let (ind, cases, events) =
        match tokio::try_join!(store::get(&st.db, id), store::cases_of(&st.db, id, 500), store::events(&st.db, id)) {
            Ok((Some(i), c, e)) => (i, c, e),
            Ok((None, _, _)) => return (StatusCode::NOT_FOUND, t(lang, "not_found")).into_response(),
            Err(e) => return server_error(e),
        };
    let phone = (ind.kind == "phone" || ind.kind == "whatsapp" || ind.kind == "zalo")
        .then(|| super::phone_info(&ind.value))
        .flatten();
    let title = format!("{} {}", ind.kind, ind.value);
    let body = html! {
        p { a href="/dashboard/indicators" { (t(lang, "back")) } }
        p data-seen { strong { code { (ind.value) } } " " (seen_sentence(lang, &ind)) }
        p { (t(lang, "status")) ": " span class={ "ind-" (ind.status) } data-status=(ind.status) { (status_text(lang, &ind.status)) } }
        @if let Some((region, valid)) = &phone {
            p { (tx(lang, "phone_region")) ": " (region) @if !valid { " (" (tx(lang, "phone_invalid")) ")" } }
        }
        h2 { (tx(lang, "review")) }
        form method="post" action={ "/dashboard/indicators/" (id) "/status" } {
            input type="hidden" name="csrf" value=(s.csrf);
            label { (t(lang, "status")) select name="status" {
                @for x in STATUSES { option value=(x) selected[ind.status == *x] { (status_text(lang, x)) } }
            } }
            label { (t(lang, "note")) textarea name="note" rows="3" cols="60" maxlength="2000" {} }
            p { button type="submit" { (t(lang, "save")) } }
        }
        h2 { (t(lang, "history")) }
        @if events.is_empty() { p { (t(lang, "no_history")) } } @else {
            table {
                thead { tr { th { (t(lang, "when")) } th { (t(lang, "reviewer")) } th { (t(lang, "status")) } th { (t(lang, "note")) } } }
                tbody { @for e in &events { tr data-event {
                    td { (format_utc(e.at)) } td { (e.reviewer) }
                    td { (status_text(lang, &e.from_status)) " → " (status_text(lang, &e.to_status)) }
                    td { (e.note) }
                } } }
            }
        }
        h2 { (tx(lang, "cases")) " (" (cases.len()) ")" }
        table {
            thead { tr { th { "#" } th { (t(lang, "domain")) } th { (t(lang, "url")) } th { (t(lang, "reports")) } th { (t(lang, "status")) } th { (tx(lang, "seen")) } } }
            tbody { @for c in &cases { tr data-case=(c.id) {
                td { a href={ "/dashboard/cases/" (c.id) } { (c.id) } }
                td { (c.domain) } td.url { (c.url) } td { (c.reports) }
                td { (crate::i18n::status_label(lang, &c.status)) } td { (format_utc(c.first_seen)) }
            } } }
        }
    };
    page(StatusCode::OK, q.lang.as_deref(), st.settings.secure_cookies, layout(lang, &title, Some(&s), &here, body))
}

/// `POST /dashboard/indicators/{id}/status`: confirm, reject or reopen, with a note.
pub async fn set_status(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<StatusForm>,
) -> Response {
    let (s, lang, note) = match checked_status_change(&st, &headers, &f, STATUSES).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match store::set_status(&st.db, id, &f.status, &note, &s.name, now()).await {
        Ok(true) => {
            tracing::info!(indicator = id, status = %f.status, reviewer = %s.name, "indicator status changed");
            Redirect::to(&format!("/dashboard/indicators/{id}")).into_response()
        }
        Ok(false) => (StatusCode::NOT_FOUND, t(lang, "not_found")).into_response(),
        Err(e) => server_error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_counts_ads_and_sites() {
        let s = Summary {
            id: 1,
            kind: "telegram".into(),
            value: "x".into(),
            status: "new".into(),
            cases: 14,
            sites: 6,
            reports: 20,
            first_seen: crate::clock::parse_day("2026-12-03").unwrap() + 3600,
            last_seen: 0,
        };
        assert_eq!(seen_sentence(Lang::En, &s), "appears in 14 reported ads on 6 sites since 3 Dec 2026");
        assert_eq!(seen_sentence(Lang::Ko, &s), "2026-12-03부터 6개 사이트의 광고 14건에 등장");
        let one = Summary { cases: 1, sites: 1, ..s };
        assert!(seen_sentence(Lang::En, &one).starts_with("appears in 1 reported ad on 1 site since"));
    }
}
