//! The dashboard's two languages, Korean and English: choosing one (`?lang=`, a remembered cookie, then
//! `Accept-Language`) and the interface texts.

use axum::http::HeaderMap;

/// A dashboard language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Korean.
    Ko,
}

/// The cookie remembering a language chosen with `?lang=`.
pub const LANG_COOKIE: &str = "jg_lang";

impl Lang {
    /// `en` or `ko`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// Parses `en`/`ko` (and tags such as `ko-KR`).
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }

    /// The language for a request: `query` (from `?lang=`), else the cookie, else the best of
    /// `Accept-Language` by q-value, else English.
    pub fn choose(query: Option<&str>, headers: &HeaderMap) -> Lang {
        if let Some(l) = query.and_then(Lang::parse) {
            return l;
        }
        if let Some(l) = crate::auth::cookie(headers, LANG_COOKIE).as_deref().and_then(Lang::parse) {
            return l;
        }
        let accept = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mut best: Option<(f32, Lang)> = None;
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("");
            let q =
                parts.filter_map(|p| p.trim().strip_prefix("q=")).find_map(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
            if let Some(l) = Lang::parse(tag) {
                if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, l));
                }
            }
        }
        best.map(|(_, l)| l).unwrap_or(Lang::En)
    }
}

/// The text `key` in `lang`; the key itself when unknown (so a missing text shows, not a blank).
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    let (en, ko) = match key {
        "app" => ("JobGuard reviewer dashboard", "JobGuard 검토자 대시보드"),
        "sign_in" => ("Sign in", "로그인"),
        "sign_out" => ("Sign out", "로그아웃"),
        "name" => ("Name", "이름"),
        "password" => ("Password", "비밀번호"),
        "bad_login" => ("Wrong name or password.", "이름 또는 비밀번호가 틀렸습니다."),
        "expired_form" => (
            "The form expired or was not sent from this page. Please try again.",
            "양식이 만료되었거나 이 페이지에서 보내지 않았습니다. 다시 시도하세요.",
        ),
        "too_many" => ("Too many attempts. Wait a minute.", "시도가 너무 많습니다. 잠시 후 다시 시도하세요."),
        "cases" => ("Cases", "사례"),
        "feedback" => ("False alarms by rule", "규칙별 오탐 신고"),
        "export_csv" => ("Export confirmed (CSV)", "확인된 사례 내보내기 (CSV)"),
        "export_json" => ("Export confirmed (JSON)", "확인된 사례 내보내기 (JSON)"),
        "domain" => ("Domain", "도메인"),
        "status" => ("Status", "상태"),
        "language" => ("Language", "언어"),
        "from" => ("From", "시작일"),
        "until" => ("Until", "종료일"),
        "sort" => ("Sort", "정렬"),
        "sort_reports" => ("Most reports", "신고 많은 순"),
        "sort_score" => ("Highest score", "점수 높은 순"),
        "sort_recent" => ("Most recent", "최근 순"),
        "filter" => ("Filter", "필터"),
        "any" => ("any", "전체"),
        "reports" => ("Reports", "신고"),
        "score" => ("Score", "점수"),
        "title" => ("Title", "제목"),
        "url" => ("URL", "URL"),
        "first_reported" => ("First reported", "최초 신고"),
        "last_reported" => ("Last reported", "최근 신고"),
        "no_cases" => ("No cases match.", "조건에 맞는 사례가 없습니다."),
        "matching" => ("cases match", "건"),
        "next" => ("Next page", "다음 페이지"),
        "prev" => ("Previous page", "이전 페이지"),
        "change_status" => ("Change status", "상태 변경"),
        "note" => ("Note", "메모"),
        "save" => ("Save", "저장"),
        "history" => ("History", "이력"),
        "no_history" => ("No changes yet.", "아직 변경 이력이 없습니다."),
        "when" => ("When", "일시"),
        "reviewer" => ("Reviewer", "검토자"),
        "rules" => ("Matched rules", "일치한 규칙"),
        "rule" => ("Rule", "규칙"),
        "count" => ("Count", "횟수"),
        "phrases" => ("Phrases", "문구"),
        "explanation" => ("Why", "이유"),
        "excerpt" => ("Excerpt", "발췌"),
        "comment" => ("Comment", "의견"),
        "level" => ("Level", "수준"),
        "country" => ("Country", "국가"),
        "versions" => ("Pack / extension", "팩 / 확장 프로그램"),
        "not_found" => ("Not found.", "찾을 수 없습니다."),
        "back" => ("Back to cases", "사례 목록으로"),
        "not_scam_count" => ("\"Not a scam\" reports", "\"사기 아님\" 신고"),
        "last" => ("Last", "최근"),
        "no_feedback" => ("No feedback yet.", "아직 피드백이 없습니다."),
        "bad_filter" => {
            ("A filter value was not understood and was ignored.", "이해할 수 없는 필터 값은 무시했습니다.")
        }
        "saved" => ("Saved.", "저장했습니다."),
        "st_new" => ("New", "신규"),
        "st_confirmed_scam" => ("Confirmed scam", "사기 확인"),
        "st_not_scam" => ("Not a scam", "사기 아님"),
        "st_takedown_requested" => ("Takedown requested", "삭제 요청함"),
        "st_removed" => ("Removed", "삭제됨"),
        _ => (key, key),
    };
    match lang {
        Lang::En => en,
        Lang::Ko => ko,
    }
}

/// The label of a case status.
pub fn status_label(lang: Lang, status: &str) -> &'static str {
    match status {
        "new" => t(lang, "st_new"),
        "confirmed_scam" => t(lang, "st_confirmed_scam"),
        "not_scam" => t(lang, "st_not_scam"),
        "takedown_requested" => t(lang, "st_takedown_requested"),
        "removed" => t(lang, "st_removed"),
        _ => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn choice_order() {
        let mut h = HeaderMap::new();
        assert_eq!(Lang::choose(None, &h), Lang::En);
        h.insert("accept-language", HeaderValue::from_static("fr;q=0.9, en;q=0.5, ko-KR;q=0.8"));
        assert_eq!(Lang::choose(None, &h), Lang::Ko);
        assert_eq!(Lang::choose(Some("en"), &h), Lang::En);
        h.insert("cookie", HeaderValue::from_static("jg_lang=en"));
        assert_eq!(Lang::choose(None, &h), Lang::En);
        assert_eq!(Lang::choose(Some("xx"), &h), Lang::En);
    }

    #[test]
    fn every_status_has_both_labels() {
        for s in crate::cases::STATUSES {
            assert_ne!(status_label(Lang::En, s), status_label(Lang::Ko, s));
        }
    }
}
