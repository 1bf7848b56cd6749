//! The reviewer dashboard: server-rendered HTML (maud escapes every value), usable without JavaScript, in
//! Korean and English. Sign-in, the case list with filters, a case with its reports, matched phrases and
//! history, status changes (CSRF-checked forms), "not a scam" counts per rule, and exports.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::{self, Session, LOGIN_COOKIE, SESSION_COOKIE};
use crate::cases::{self, Filter, Sort, CONFIRMED, STATUSES};
use crate::clock::{format_utc, now, parse_day};
use crate::i18n::{status_label, t, Lang, LANG_COOKIE};
use crate::ratelimit::client_ip;
use crate::reports;
use crate::token::{random_hex, secret_eq};

/// Cases shown per page.
const PAGE: i64 = 50;

const CSS: &str = "body{font-family:system-ui,'Noto Sans KR','NanumGothic',sans-serif;margin:0;color:#222}\
header{background:#123;color:#fff;padding:.5em 1em;display:flex;gap:1em;align-items:center;flex-wrap:wrap}\
header a{color:#fff}header form{margin:0}main{padding:1em}table{border-collapse:collapse;width:100%}\
th,td{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}\
.st-confirmed_scam,.st-takedown_requested{color:#a00;font-weight:bold}.st-not_scam{color:#060}\
mark{background:#fd6}.err{color:#a00;font-weight:bold}.ok{color:#060}.url{word-break:break-all}\
form.filters{display:flex;gap:.8em;flex-wrap:wrap;align-items:end;margin-bottom:1em}label{display:block}\
label input,label select,label textarea{display:block;margin-top:.2em}";

/// A page's frame: language, who is signed in, and a language switch.
pub(crate) fn layout(lang: Lang, title: &str, session: Option<&Session>, here: &str, body: Markup) -> Markup {
    let other = match lang {
        Lang::En => (Lang::Ko, "한국어"),
        Lang::Ko => (Lang::En, "English"),
    };
    let sep = if here.contains('?') { '&' } else { '?' };
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (t(lang, "app")) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    strong { (t(lang, "app")) }
                    @if session.is_some() {
                        a href="/dashboard" { (t(lang, "cases")) }
                        a href="/dashboard/feedback" { (t(lang, "feedback")) }
                        a href="/dashboard/indicators" { (crate::indicators::pages::nav_label(lang)) }
                        a href="/dashboard/clusters" { (crate::clusters::pages::nav_label(lang)) }
                        a href="/dashboard/trends" { (crate::trends::nav_label(lang)) }
                        a href="/dashboard/export.csv" { (t(lang, "export_csv")) }
                        a href="/dashboard/export.json" { (t(lang, "export_json")) }
                    }
                    a href={ (here) (sep) "lang=" (other.0.code()) } lang=(other.0.code()) { (other.1) }
                    @if let Some(s) = session {
                        span { (s.name) }
                        form method="post" action="/dashboard/logout" {
                            input type="hidden" name="csrf" value=(s.csrf);
                            button type="submit" { (t(lang, "sign_out")) }
                        }
                    }
                }
                main { h1 { (title) } (body) }
            }
        }
    }
}

/// An HTML response with the headers every dashboard page carries; remembers a language chosen by `?lang=`.
pub(crate) fn page(code: StatusCode, lang_query: Option<&str>, secure: bool, markup: Markup) -> Response {
    let mut resp = (code, maud_html(markup)).into_response();
    let h = resp.headers_mut();
    // Pages hold what readers reported: never cached, never framed, no referrer leaked to reported sites.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Some(l) = lang_query.and_then(Lang::parse) {
        if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(LANG_COOKIE, l.code(), 365 * 86_400, secure)) {
            h.append(header::SET_COOKIE, v);
        }
    }
    resp
}

fn maud_html(m: Markup) -> axum::response::Html<String> {
    axum::response::Html(m.into_string())
}

pub(crate) fn server_error(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "dashboard request failed");
    (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
}

/// The signed-in reviewer, or a redirect to the sign-in page.
pub(crate) async fn require(st: &AppState, headers: &HeaderMap) -> Result<Session, Response> {
    match auth::session(&st.db, headers, now()).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(Redirect::to("/dashboard/login").into_response()),
        Err(e) => Err(server_error(e)),
    }
}

pub(crate) fn csrf_ok(s: &Session, given: &str) -> bool {
    !given.is_empty() && secret_eq(given, &s.csrf)
}

pub(crate) fn forbidden(lang: Lang) -> Response {
    (StatusCode::FORBIDDEN, t(lang, "expired_form")).into_response()
}

/// `?lang=`.
#[derive(Debug, Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
}

/// `GET /dashboard/login`.
pub async fn login_form(State(st): State<AppState>, Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    let lang = Lang::choose(q.lang.as_deref(), &headers);
    if let Ok(Some(_)) = auth::session(&st.db, &headers, now()).await {
        return Redirect::to("/dashboard").into_response();
    }
    login_page(&st, lang, q.lang.as_deref(), StatusCode::OK, None)
}

fn login_page(st: &AppState, lang: Lang, lang_query: Option<&str>, code: StatusCode, error: Option<&str>) -> Response {
    let csrf = random_hex(16);
    let body = html! {
        @if let Some(e) = error { p.err role="alert" { (e) } }
        form method="post" action="/dashboard/login" {
            input type="hidden" name="csrf" value=(csrf);
            label { (t(lang, "name")) input name="name" autocomplete="username" required; }
            label { (t(lang, "password")) input type="password" name="password" autocomplete="current-password" required; }
            p { button type="submit" { (t(lang, "sign_in")) } }
        }
    };
    let mut resp = page(
        code,
        lang_query,
        st.settings.secure_cookies,
        layout(lang, t(lang, "sign_in"), None, "/dashboard/login", body),
    );
    // Double-submit token: a cross-site form cannot read or set this SameSite=Strict cookie.
    if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(LOGIN_COOKIE, &csrf, 1800, st.settings.secure_cookies)) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /dashboard/login`.
pub async fn login(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let lang = Lang::choose(None, &headers);
    let cookie = auth::cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if f.csrf.is_empty() || !secret_eq(&cookie, &f.csrf) {
        return login_page(&st, lang, None, StatusCode::FORBIDDEN, Some(t(lang, "expired_form")));
    }
    let ip = client_ip(peer, &headers, st.settings.client_ip_header.as_ref());
    if st.login_limit.check(ip).is_err() {
        return login_page(&st, lang, None, StatusCode::TOO_MANY_REQUESTS, Some(t(lang, "too_many")));
    }
    let id = match auth::check_login(&st.db, f.name.trim(), &f.password).await {
        Ok(Some(id)) => id,
        Ok(None) => {
            tracing::info!(%ip, "failed sign-in");
            return login_page(&st, lang, None, StatusCode::UNAUTHORIZED, Some(t(lang, "bad_login")));
        }
        Err(e) => return server_error(e),
    };
    let token = match auth::create_session(&st.db, id, st.settings.session_ttl_secs, now()).await {
        Ok(t) => t,
        Err(e) => return server_error(e),
    };
    let secure = st.settings.secure_cookies;
    let mut resp = Redirect::to("/dashboard").into_response();
    for c in [
        auth::set_cookie(SESSION_COOKIE, &token, st.settings.session_ttl_secs, secure),
        auth::set_cookie(LOGIN_COOKIE, "", 0, secure),
    ] {
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// A form carrying only the CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /dashboard/logout`.
pub async fn logout(State(st): State<AppState>, headers: HeaderMap, Form(f): Form<CsrfForm>) -> Response {
    let s = match require(&st, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !csrf_ok(&s, &f.csrf) {
        return forbidden(Lang::choose(None, &headers));
    }
    if let Err(e) = auth::end_session(&st.db, &s.token_hash).await {
        return server_error(e);
    }
    let mut resp = Redirect::to("/dashboard/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(SESSION_COOKIE, "", 0, st.settings.secure_cookies)) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

/// The case list's query.
#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    lang: Option<String>,
    domain: Option<String>,
    status: Option<String>,
    rlang: Option<String>,
    from: Option<String>,
    until: Option<String>,
    sort: Option<String>,
    page: Option<i64>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// `GET /dashboard`: cases, filtered and sorted.
pub async fn cases(State(st): State<AppState>, Query(q): Query<ListQuery>, headers: HeaderMap) -> Response {
    let s = match require(&st, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let lang = Lang::choose(q.lang.as_deref(), &headers);
    let mut ignored = false;
    let mut f = Filter { domain: nonempty(&q.domain).map(str::to_string), ..Filter::default() };
    if let Some(v) = nonempty(&q.status) {
        if STATUSES.contains(&v) {
            f.status = Some(v.to_string());
        } else {
            ignored = true;
        }
    }
    if let Some(v) = nonempty(&q.rlang) {
        f.lang = Some(v.to_string());
    }
    if let Some(v) = nonempty(&q.from) {
        f.from = parse_day(v);
        ignored |= f.from.is_none();
    }
    if let Some(v) = nonempty(&q.until) {
        // "Until" a day includes that whole day.
        f.until = parse_day(v).map(|d| d + 86_400);
        ignored |= f.until.is_none();
    }
    if let Some(v) = nonempty(&q.sort) {
        f.sort = Sort::parse(v).unwrap_or_default();
    }
    let pageno = q.page.unwrap_or(0).clamp(0, 10_000);
    let (list, total) = match cases::list(&st.db, &f, PAGE, pageno * PAGE).await {
        Ok(r) => r,
        Err(e) => return server_error(e),
    };
    let qs = |page: i64| {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("domain", &q.domain),
            ("status", &q.status),
            ("rlang", &q.rlang),
            ("from", &q.from),
            ("until", &q.until),
            ("sort", &q.sort),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                ser.append_pair(k, v);
            }
        }
        ser.append_pair("page", &page.to_string());
        format!("/dashboard?{}", ser.finish())
    };
    let sort_opt = |v: &str, key: &'static str| {
        let sel = q.sort.as_deref().unwrap_or("reports") == v;
        html! { option value=(v) selected[sel] { (t(lang, key)) } }
    };
    let body = html! {
        form.filters method="get" action="/dashboard" {
            label { (t(lang, "domain")) input name="domain" value=(q.domain.as_deref().unwrap_or("")); }
            label { (t(lang, "status"))
                select name="status" {
                    option value="" { (t(lang, "any")) }
                    @for st_ in STATUSES {
                        option value=(st_) selected[q.status.as_deref() == Some(*st_)] { (status_label(lang, st_)) }
                    }
                }
            }
            label { (t(lang, "language")) input name="rlang" size="5" value=(q.rlang.as_deref().unwrap_or("")); }
            label { (t(lang, "from")) input type="date" name="from" value=(q.from.as_deref().unwrap_or("")); }
            label { (t(lang, "until")) input type="date" name="until" value=(q.until.as_deref().unwrap_or("")); }
            label { (t(lang, "sort"))
                select name="sort" { (sort_opt("reports", "sort_reports")) (sort_opt("score", "sort_score")) (sort_opt("recent", "sort_recent")) }
            }
            button type="submit" { (t(lang, "filter")) }
        }
        @if ignored { p.err { (t(lang, "bad_filter")) } }
        p { (total) " " (t(lang, "matching")) }
        @if list.is_empty() {
            p { (t(lang, "no_cases")) }
        } @else {
            table {
                thead { tr {
                    th { "#" } th { (t(lang, "reports")) } th { (t(lang, "score")) } th { (t(lang, "status")) }
                    th { (t(lang, "domain")) } th { (t(lang, "title")) } th { (t(lang, "language")) }
                    th { (t(lang, "last_reported")) }
                } }
                tbody {
                    @for c in &list {
                        tr data-case=(c.id) {
                            td { a href={ "/dashboard/cases/" (c.id) } { (c.id) } }
                            td { (c.report_count) } td { (c.max_score) }
                            td class={ "st-" (c.status) } { (status_label(lang, &c.status)) }
                            td { (c.domain) }
                            td { a href={ "/dashboard/cases/" (c.id) } { @if c.title.is_empty() { (c.url) } @else { (c.title) } } }
                            td { (c.lang) } td { (format_utc(c.last_reported)) }
                        }
                    }
                }
            }
            p {
                @if pageno > 0 { a href=(qs(pageno - 1)) { (t(lang, "prev")) } " " }
                @if (pageno + 1) * PAGE < total { a href=(qs(pageno + 1)) { (t(lang, "next")) } }
            }
        }
    };
    page(
        StatusCode::OK,
        q.lang.as_deref(),
        st.settings.secure_cookies,
        layout(lang, t(lang, "cases"), Some(&s), "/dashboard", body),
    )
}

/// The excerpt with what the current pack matches in it marked; plain when there is no pack.
fn highlighted(st: &AppState, text: &str) -> Markup {
    let Some(c) = st.packs.current().and_then(|p| p.classifier.clone()) else { return html! { (text) } };
    let input = jobguard::PageInput { text: text.to_string(), ..Default::default() };
    let Ok(v) = c.score(&input) else { return html! { (text) } };
    // Match offsets are UTF-16 code units; map them to byte offsets of this string.
    let mut utf16_to_byte = BTreeMap::new();
    let mut u = 0u32;
    for (b, ch) in text.char_indices() {
        utf16_to_byte.insert(u, b);
        u += ch.len_utf16() as u32;
    }
    utf16_to_byte.insert(u, text.len());
    let mut spans: Vec<(usize, usize, String)> = Vec::new();
    for m in &v.matches {
        let (Some(&s), Some(&e)) = (utf16_to_byte.get(&m.start), utf16_to_byte.get(&m.end)) else { continue };
        match spans.last_mut() {
            Some(last) if s < last.1 => {
                last.1 = last.1.max(e);
                last.2.push_str(", ");
                last.2.push_str(&m.rule);
            }
            _ if s < e => spans.push((s, e, m.rule.clone())),
            _ => {}
        }
    }
    // Plain text before each marked span, the span, and the rules that matched it.
    let mut parts: Vec<(&str, &str, &str)> = Vec::new();
    let mut pos = 0;
    for (s, e, rules) in &spans {
        parts.push((&text[pos..*s], &text[*s..*e], rules));
        pos = *e;
    }
    let tail = &text[pos..];
    html! {
        @for (plain, marked, rules) in &parts { (plain) mark title=(rules) { (marked) } }
        (tail)
    }
}

/// A rule's explanation in `lang` and its phrases (or hosts), from `pack`; empty when the pack lacks it.
fn rule_info(pack: Option<&jobguard::Pack>, id: &str, lang: &str) -> (String, Vec<String>) {
    let Some(p) = pack else { return (String::new(), vec![]) };
    let pick = |t| jobguard::pack::pick(t, lang).to_string();
    if let Some(r) = p.rules.iter().find(|r| r.id == id) {
        let mut phrases: Vec<String> = r.phrases.iter().take(12).cloned().collect();
        if let Some(re) = &r.regex {
            phrases.push(format!("/{re}/"));
        }
        return (pick(&r.explain), phrases);
    }
    if let Some(r) = p.links.iter().find(|r| r.id == id) {
        return (pick(&r.explain), r.hosts.iter().take(12).cloned().collect());
    }
    if let Some(r) = p.salary.tiers.iter().find(|r| r.id == id) {
        return (pick(&r.explain), vec![]);
    }
    if let Some(r) = p.combos.iter().find(|r| r.id == id) {
        return (pick(&r.explain), vec![]);
    }
    (String::new(), vec![])
}

/// `GET /dashboard/cases/{id}`.
pub async fn case(
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
    let here = format!("/dashboard/cases/{id}");
    let (c, reports, events, contacts) = match tokio::try_join!(
        cases::get(&st.db, id),
        cases::reports(&st.db, id),
        cases::events(&st.db, id),
        crate::indicators::pages::case_section(&st, id, lang)
    ) {
        Ok((Some(c), r, e, i)) => (c, r, e, i),
        Ok((None, _, _, _)) => {
            let body = html! { p { (t(lang, "not_found")) } p { a href="/dashboard" { (t(lang, "back")) } } };
            return page(
                StatusCode::NOT_FOUND,
                q.lang.as_deref(),
                st.settings.secure_cookies,
                layout(lang, t(lang, "not_found"), Some(&s), &here, body),
            );
        }
        Err(e) => return server_error(e),
    };
    let mut rule_counts: BTreeMap<&str, i64> = BTreeMap::new();
    for r in &reports {
        for rule in &r.rules {
            *rule_counts.entry(rule.as_str()).or_insert(0) += 1;
        }
    }
    let mut rule_counts: Vec<(&str, i64)> = rule_counts.into_iter().collect();
    rule_counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let served = st.packs.current();
    let pack = served.as_ref().and_then(|p| p.classifier.as_ref()).map(|c| c.pack());
    let rule_info = |id: &str| rule_info(pack, id, lang.code());
    let title = format!("#{} {}", c.id, c.domain);
    let body = html! {
        p { a href="/dashboard" { (t(lang, "back")) } }
        table {
            tr { th { (t(lang, "url")) } td.url { a href=(c.url) rel="noreferrer noopener" target="_blank" { (c.url) } } }
            tr { th { (t(lang, "title")) } td { (c.title) } }
            tr { th { (t(lang, "status")) } td class={ "st-" (c.status) } data-status=(c.status) { (status_label(lang, &c.status)) } }
            tr { th { (t(lang, "reports")) } td data-report-count=(c.report_count) { (c.report_count) } }
            tr { th { (t(lang, "score")) } td { (c.max_score) } }
            tr { th { (t(lang, "first_reported")) } td { (format_utc(c.first_reported)) } }
            tr { th { (t(lang, "last_reported")) } td { (format_utc(c.last_reported)) } }
        }
        (contacts)
        h2 { (t(lang, "change_status")) }
        form method="post" action={ "/dashboard/cases/" (c.id) "/status" } {
            input type="hidden" name="csrf" value=(s.csrf);
            label { (t(lang, "status"))
                select name="status" {
                    @for st_ in STATUSES { option value=(st_) selected[c.status == *st_] { (status_label(lang, st_)) } }
                }
            }
            label { (t(lang, "note")) textarea name="note" rows="3" cols="60" maxlength="2000" {} }
            p { button type="submit" { (t(lang, "save")) } }
        }
        h2 { (t(lang, "history")) }
        @if events.is_empty() { p { (t(lang, "no_history")) } } @else {
            table {
                thead { tr { th { (t(lang, "when")) } th { (t(lang, "reviewer")) } th { (t(lang, "status")) } th { (t(lang, "note")) } } }
                tbody { @for e in &events { tr {
                    td { (format_utc(e.at)) } td { (e.reviewer) }
                    td { (status_label(lang, &e.from_status)) " → " (status_label(lang, &e.to_status)) }
                    td { (e.note) }
                } } }
            }
        }
        h2 { (t(lang, "rules")) }
        table {
            thead { tr { th { (t(lang, "rule")) } th { (t(lang, "count")) } th { (t(lang, "explanation")) } th { (t(lang, "phrases")) } } }
            tbody { @for (rule, n) in &rule_counts {
                @let (why, phrases) = rule_info(rule);
                tr { td { code { (rule) } } td { (n) } td { (why) } td { (phrases.join(" · ")) } }
            } }
        }
        h2 { (t(lang, "reports")) " (" (reports.len()) ")" }
        table {
            thead { tr {
                th { (t(lang, "when")) } th { (t(lang, "score")) } th { (t(lang, "rules")) } th { (t(lang, "language")) }
                th { (t(lang, "country")) } th { (t(lang, "versions")) } th { (t(lang, "excerpt")) } th { (t(lang, "comment")) }
            } }
            tbody { @for r in &reports { tr data-report=(r.id) {
                td { (format_utc(r.created_at)) }
                td { (r.score) " " (r.level) }
                td { @for rule in &r.rules { code { (rule) } " " } }
                td { (r.lang) } td { (r.country.as_deref().unwrap_or("")) }
                td { (r.pack_version) " / " (r.extension_version) }
                td { @if let Some(x) = &r.excerpt { (highlighted(&st, x)) } }
                td { (r.comment.as_deref().unwrap_or("")) }
            } } }
        }
    };
    page(StatusCode::OK, q.lang.as_deref(), st.settings.secure_cookies, layout(lang, &title, Some(&s), &here, body))
}

/// A reviewer's status form (cases and indicators): the CSRF token, the new status and a note.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    csrf: String,
    pub(crate) status: String,
    #[serde(default)]
    note: String,
}

/// Checks a status change: the reviewer's session and language and the note (trimmed, at most 2,000
/// characters), or the response that refuses it (not signed in, a bad CSRF token, a status not in `allowed`).
pub async fn checked_status_change(
    st: &AppState,
    headers: &HeaderMap,
    f: &StatusForm,
    allowed: &[&str],
) -> Result<(Session, Lang, String), Response> {
    let s = require(st, headers).await?;
    let lang = Lang::choose(None, headers);
    if !csrf_ok(&s, &f.csrf) {
        return Err(forbidden(lang));
    }
    if !allowed.contains(&f.status.as_str()) {
        return Err((StatusCode::UNPROCESSABLE_ENTITY, "status: not a known status").into_response());
    }
    Ok((s, lang, f.note.trim().chars().take(2000).collect()))
}

/// `POST /dashboard/cases/{id}/status`.
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
    match cases::set_status(&st.db, id, &f.status, &note, &s.name, now()).await {
        Ok(true) => {
            tracing::info!(case = id, status = %f.status, reviewer = %s.name, "case status changed");
            Redirect::to(&format!("/dashboard/cases/{id}")).into_response()
        }
        Ok(false) => (StatusCode::NOT_FOUND, t(lang, "not_found")).into_response(),
        Err(e) => server_error(e),
    }
}

/// `GET /dashboard/feedback`: "not a scam" counts per rule.
pub async fn feedback(State(st): State<AppState>, Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    let s = match require(&st, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let lang = Lang::choose(q.lang.as_deref(), &headers);
    let rows = match reports::rule_feedback(&st.db).await {
        Ok(r) => r,
        Err(e) => return server_error(e),
    };
    let body = html! {
        @if rows.is_empty() { p { (t(lang, "no_feedback")) } } @else {
            table {
                thead { tr { th { (t(lang, "rule")) } th { (t(lang, "not_scam_count")) } th { (t(lang, "last")) } } }
                tbody { @for (rule, n, at) in &rows { tr data-rule=(rule) { td { code { (rule) } } td { (n) } td { (format_utc(*at)) } } } }
            }
        }
    };
    page(
        StatusCode::OK,
        q.lang.as_deref(),
        st.settings.secure_cookies,
        layout(lang, t(lang, "feedback"), Some(&s), "/dashboard/feedback", body),
    )
}

/// Export query: `?status=` (one status; default: every confirmed status).
#[derive(Debug, Deserialize, Default)]
pub struct ExportQuery {
    status: Option<String>,
}

async fn export_rows(st: &AppState, headers: &HeaderMap, q: &ExportQuery) -> Result<Vec<cases::ExportCase>, Response> {
    require(st, headers).await?;
    let statuses: Vec<&str> = match nonempty(&q.status) {
        None => CONFIRMED.to_vec(),
        Some(s) => match STATUSES.iter().find(|x| **x == s) {
            Some(x) => vec![*x],
            None => return Err((StatusCode::UNPROCESSABLE_ENTITY, "status: not a known status").into_response()),
        },
    };
    let mut rows = cases::export(&st.db, &statuses).await.map_err(server_error)?;
    // Takedown requests go to platforms and regulators: the reasons in English, most reported rule first.
    let served = st.packs.current();
    let pack = served.as_ref().and_then(|p| p.classifier.as_ref()).map(|c| c.pack());
    for row in &mut rows {
        let mut rules: Vec<(&String, &i64)> = row.rules.iter().collect();
        rules.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        row.reasons = rules
            .into_iter()
            .filter_map(|(id, _)| {
                let (why, _) = rule_info(pack, id, "en");
                (!why.is_empty()).then(|| format!("{id}: {why}"))
            })
            .collect();
    }
    Ok(rows)
}

fn attachment(content_type: &'static str, name: &str, body: String) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// `GET /dashboard/export.csv`.
pub async fn export_csv(State(st): State<AppState>, Query(q): Query<ExportQuery>, headers: HeaderMap) -> Response {
    match export_rows(&st, &headers, &q).await {
        Ok(rows) => match cases::to_csv(&rows) {
            Ok(csv) => attachment("text/csv; charset=utf-8", "jobguard-cases.csv", csv),
            Err(e) => server_error(e),
        },
        Err(r) => r,
    }
}

/// `GET /dashboard/export.json`.
pub async fn export_json(State(st): State<AppState>, Query(q): Query<ExportQuery>, headers: HeaderMap) -> Response {
    match export_rows(&st, &headers, &q).await {
        Ok(rows) => {
            // Confirmed clusters: their URLs grouped by platform, with the evidence.
            if let Err(e) = crate::clusters::recompute(&st.db, now()).await {
                return server_error(e);
            }
            let clusters = match crate::clusters::store::all(&st.db).await {
                Ok(c) => crate::clusters::store::export(&c),
                Err(e) => return server_error(e),
            };
            let body =
                serde_json::json!({ "generated": crate::clock::rfc3339(now()), "cases": rows, "clusters": clusters });
            attachment("application/json", "jobguard-cases.json", body.to_string())
        }
        Err(r) => r,
    }
}
