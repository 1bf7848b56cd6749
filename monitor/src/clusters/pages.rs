//! The reviewers' cluster pages: clusters of more than one case (cases, hosts, reports, first and last seen),
//! and one cluster with its URLs, contacts, rules and stored texts. Each view recomputes the clusters first.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::store::{self, Cluster};
use crate::app::AppState;
use crate::clock::{format_utc, now};
use crate::dashboard::{layout, page, require, server_error};
use crate::i18n::Lang;

/// Texts of these pages, English and Korean.
fn tx(lang: Lang, key: &str) -> &'static str {
    let (en, ko) = match key {
        "clusters" => ("Clusters", "묶음"),
        "cluster" => ("Cluster", "묶음"),
        "cases" => ("Cases", "사례"),
        "hosts" => ("Sites", "사이트"),
        "reports" => ("Reports", "신고"),
        "first" => ("First seen", "처음 발견"),
        "last" => ("Last seen", "마지막 발견"),
        "none" => ("No clusters of more than one case.", "둘 이상의 사례로 된 묶음이 없습니다."),
        "contacts" => ("Contacts", "연락처"),
        "rules" => ("Matched rules", "일치한 규칙"),
        "text" => ("Stored text", "저장된 본문"),
        "not_found" => ("No such cluster.", "그런 묶음이 없습니다."),
        _ => ("?", "?"),
    };
    match lang {
        Lang::En => en,
        Lang::Ko => ko,
    }
}

/// The header link's text.
pub fn nav_label(lang: Lang) -> &'static str {
    tx(lang, "clusters")
}

/// `?lang=`.
#[derive(Debug, Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
}

async fn load(st: &AppState) -> Result<Vec<Cluster>, Response> {
    super::recompute(&st.db, now()).await.map_err(server_error)?;
    store::all(&st.db).await.map_err(server_error)
}

/// `GET /dashboard/clusters`: clusters of two or more cases, largest first.
pub async fn list(State(st): State<AppState>, Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    let s = match require(&st, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let lang = Lang::choose(q.lang.as_deref(), &headers);
    let clusters = match load(&st).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let many: Vec<&Cluster> = clusters.iter().filter(|c| c.members.len() > 1).collect();
    let body = html! {
        @if many.is_empty() { p { (tx(lang, "none")) } } @else {
            table {
                thead { tr {
                    th { (tx(lang, "cluster")) } th { (tx(lang, "cases")) } th { (tx(lang, "hosts")) }
                    th { (tx(lang, "reports")) } th { (tx(lang, "first")) } th { (tx(lang, "last")) }
                } }
                tbody { @for c in &many { tr data-cluster=(c.id) data-cases=(c.members.len()) data-hosts=(c.hosts().len()) {
                    td { a href={ "/dashboard/clusters/" (c.id) } { "#" (c.id) " " (c.members[0].title) } }
                    td { (c.members.len()) }
                    td { (c.hosts().len()) }
                    td { (c.report_count) }
                    td { (format_utc(c.first_seen)) }
                    td { (format_utc(c.last_seen)) }
                } } }
            }
        }
    };
    page(
        StatusCode::OK,
        q.lang.as_deref(),
        st.settings.secure_cookies,
        layout(lang, tx(lang, "clusters"), Some(&s), "/dashboard/clusters", body),
    )
}

/// `GET /dashboard/clusters/{id}`: one cluster's cases, URLs, contacts, rules and texts.
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
    let clusters = match load(&st).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let here = format!("/dashboard/clusters/{id}");
    let Some(c) = clusters.iter().find(|c| c.id == id) else {
        let body = html! { p { (tx(lang, "not_found")) } };
        return page(
            StatusCode::NOT_FOUND,
            q.lang.as_deref(),
            st.settings.secure_cookies,
            layout(lang, tx(lang, "cluster"), Some(&s), &here, body),
        );
    };
    let body = html! {
        p data-cluster=(c.id) data-reports=(c.report_count) {
            (c.members.len()) " " (tx(lang, "cases")) " · " (c.hosts().len()) " " (tx(lang, "hosts")) " · "
            (c.report_count) " " (tx(lang, "reports")) " · " (tx(lang, "first")) " " (format_utc(c.first_seen)) " · "
            (tx(lang, "last")) " " (format_utc(c.last_seen))
        }
        table {
            tbody { @for m in &c.members { tr data-case=(m.case_id) data-host=(m.host) {
                td { a href={ "/dashboard/cases/" (m.case_id) } { "#" (m.case_id) } }
                td { a href=(m.url) rel="noopener noreferrer" { (m.url) } }
                td { (m.status) }
                td { (m.report_count) }
            } } }
        }
        h2 { (tx(lang, "contacts")) }
        ul { @for i in &c.indicators { li data-indicator=(i) { code { (i) } } } }
        h2 { (tx(lang, "rules")) }
        ul { @for (r, n) in &c.rules { li { code { (r) } " (" (n) ")" } } }
        h2 { (tx(lang, "text")) }
        @for m in &c.members { @if let Some(t) = &m.text { blockquote { (m.url) br; (t) } } }
    };
    page(
        StatusCode::OK,
        q.lang.as_deref(),
        st.settings.secure_cookies,
        layout(lang, tx(lang, "cluster"), Some(&s), &here, body),
    )
}
