//! The trends page (`/dashboard/trends`): charts drawn on the server as SVG with `plotters` (no JavaScript):
//! new cases per day over the last 30 days by language, by country and by category, the most widespread
//! contacts, and the clusters that grew this week.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use plotters::prelude::*;
use serde::Deserialize;

use crate::app::AppState;
use crate::clock::now;
use crate::dashboard::{layout, page, require, server_error};
use crate::db::Db;
use crate::i18n::Lang;

const DAY: i64 = 86_400;
/// Days shown in the per-day charts.
pub const DAYS: i64 = 30;
/// Series drawn per chart at most (the rest are summed into "other").
pub const MAX_SERIES: usize = 6;

/// Texts of the page, English and Korean.
fn tx(lang: Lang, key: &str) -> &'static str {
    let (en, ko) = match key {
        "trends" => ("Trends", "추세"),
        "lang" => ("New cases per day by language (30 days)", "언어별 일일 신규 사례 (30일)"),
        "country" => ("New cases per day by country (30 days)", "국가별 일일 신규 사례 (30일)"),
        "category" => ("New cases per day by category (30 days)", "분류별 일일 신규 사례 (30일)"),
        "indicators" => ("Top contacts (cases carrying each)", "주요 연락처 (사례 수)"),
        "clusters" => ("Clusters growing this week (new cases in 7 days)", "이번 주 커지는 묶음 (7일간 새 사례)"),
        _ => ("?", "?"),
    };
    match lang {
        Lang::En => en,
        Lang::Ko => ko,
    }
}

/// Per-day counts of one series.
type Series = BTreeMap<String, Vec<i64>>;

/// Counts of new cases per day (index 0 = `DAYS - 1` days ago) by language, country and category.
pub async fn per_day(db: &Db, now: i64) -> Result<[Series; 3], sqlx::Error> {
    let start = (now / DAY - (DAYS - 1)) * DAY;
    let cases: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, first_reported, lang FROM cases WHERE first_reported >= $1")
            .bind(start)
            .fetch_all(&db.read)
            .await?;
    let countries: Vec<(i64, String)> =
        sqlx::query_as("SELECT case_id, MIN(country) FROM reports WHERE country IS NOT NULL GROUP BY case_id")
            .fetch_all(&db.read)
            .await?;
    let countries: HashMap<i64, String> = countries.into_iter().collect();
    let rules: Vec<(i64, String)> =
        sqlx::query_as("SELECT case_id, rules FROM reports UNION ALL SELECT case_id, rules FROM scans")
            .fetch_all(&db.read)
            .await?;
    let mut category: HashMap<i64, String> = HashMap::new();
    for (id, r) in rules {
        if let Some(first) = serde_json::from_str::<Vec<String>>(&r).unwrap_or_default().first() {
            category.entry(id).or_insert_with(|| category_of(first));
        }
    }
    let mut out: [Series; 3] = Default::default();
    for (id, at, lang) in cases {
        let day = ((at - start) / DAY) as usize;
        if day >= DAYS as usize {
            continue;
        }
        let keys = [
            lang,
            countries.get(&id).cloned().unwrap_or_else(|| "unknown".into()),
            category.get(&id).cloned().unwrap_or_else(|| "unknown".into()),
        ];
        for (series, key) in out.iter_mut().zip(keys) {
            series.entry(key).or_insert_with(|| vec![0; DAYS as usize])[day] += 1;
        }
    }
    Ok(out.map(top_series))
}

/// A rule's category: the part after its language (`ko.pay.high` -> `pay`).
pub fn category_of(rule: &str) -> String {
    rule.split('.').nth(1).unwrap_or(rule).to_string()
}

/// The `MAX_SERIES - 1` largest series, and the rest summed as "other".
fn top_series(s: Series) -> Series {
    if s.len() <= MAX_SERIES {
        return s;
    }
    let mut v: Vec<(String, Vec<i64>)> = s.into_iter().collect();
    v.sort_by_key(|(k, c)| (-c.iter().sum::<i64>(), k.clone()));
    let rest = v.split_off(MAX_SERIES - 1);
    let mut out: Series = v.into_iter().collect();
    let mut other = vec![0; DAYS as usize];
    for (_, c) in rest {
        for (o, x) in other.iter_mut().zip(c) {
            *o += x;
        }
    }
    out.insert("other".into(), other);
    out
}

/// A line chart of `series` over the last `DAYS` days as an SVG document.
pub fn line_chart(series: &Series) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 260)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let max = series.values().flat_map(|v| v.iter()).copied().max().unwrap_or(0).max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(32)
            .build_cartesian_2d(0i64..DAYS - 1, 0i64..max)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_labels(6)
            .x_label_formatter(&|d| format!("-{}d", DAYS - 1 - d))
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, (name, counts)) in series.iter().enumerate() {
            // Series lines are 2 px wide (axes and ticks 1 px), which also lets a test count them.
            let color = ShapeStyle::from(Palette99::pick(i).to_rgba()).stroke_width(2);
            chart
                .draw_series(LineSeries::new(counts.iter().enumerate().map(|(d, c)| (d as i64, *c)), color))
                .map_err(|e| e.to_string())?
                .label(name.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
        }
        if !series.is_empty() {
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .draw()
                .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// A bar chart of labelled counts (largest first) as an SVG document.
pub fn bar_chart(bars: &[(String, i64)]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 260)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
        let n = bars.len().max(1) as i64;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(40)
            .y_label_area_size(32)
            .build_cartesian_2d(0i64..n, 0i64..max)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(bars.len().max(1))
            .x_label_formatter(&|i| bars.get(*i as usize).map(|b| b.0.clone()).unwrap_or_default())
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(
                bars.iter()
                    .enumerate()
                    .map(|(i, (_, c))| Rectangle::new([(i as i64, 0), (i as i64 + 1, *c)], BLUE.mix(0.6).filled())),
            )
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// The contacts carried by the most cases (rejected ones left out), at most 10.
async fn top_indicators(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT i.kind, i.value, COUNT(*) AS n FROM case_indicators ci JOIN indicators i ON i.id = ci.indicator_id \
         WHERE i.status <> 'rejected' GROUP BY i.kind, i.value ORDER BY n DESC, i.kind, i.value LIMIT 10",
    )
    .fetch_all(&db.read)
    .await?;
    Ok(rows.into_iter().map(|(k, v, n)| (format!("{k}:{v}"), n)).collect())
}

/// Clusters with new cases in the last 7 days, most new cases first (at most 10).
async fn growing_clusters(db: &Db, now: i64) -> Result<Vec<(String, i64)>, sqlx::Error> {
    crate::clusters::recompute(db, now).await?;
    let clusters = crate::clusters::store::all(db).await?;
    let week = now - 7 * DAY;
    let mut out: Vec<(String, i64)> = clusters
        .iter()
        .filter(|c| c.members.len() > 1)
        .map(|c| (format!("#{}", c.id), c.members.iter().filter(|m| m.first_seen >= week).count() as i64))
        .filter(|(_, n)| *n > 0)
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out.truncate(10);
    Ok(out)
}

fn figure(name: &str, title: &str, series: usize, svg: &str) -> Markup {
    html! {
        figure data-chart=(name) data-series=(series) {
            figcaption { (title) }
            (PreEscaped(svg))
        }
    }
}

/// `?lang=`.
#[derive(Debug, Deserialize, Default)]
pub struct TrendsQuery {
    lang: Option<String>,
}

/// `GET /dashboard/trends`.
pub async fn trends(State(st): State<AppState>, Query(q): Query<TrendsQuery>, headers: HeaderMap) -> Response {
    let s = match require(&st, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let lang = Lang::choose(q.lang.as_deref(), &headers);
    let t = now();
    let result = async {
        let [by_lang, by_country, by_category] = per_day(&st.db, t).await.map_err(|e| e.to_string())?;
        let inds = top_indicators(&st.db).await.map_err(|e| e.to_string())?;
        let growing = growing_clusters(&st.db, t).await.map_err(|e| e.to_string())?;
        let mut figs = Vec::new();
        for (name, series) in [("lang", &by_lang), ("country", &by_country), ("category", &by_category)] {
            figs.push(figure(name, tx(lang, name), series.len(), &line_chart(series)?));
        }
        figs.push(figure("indicators", tx(lang, "indicators"), inds.len(), &bar_chart(&inds)?));
        figs.push(figure("clusters", tx(lang, "clusters"), growing.len(), &bar_chart(&growing)?));
        Ok::<_, String>(figs)
    }
    .await;
    let figs = match result {
        Ok(f) => f,
        Err(e) => return server_error(e),
    };
    let body = html! { @for f in &figs { (f) } };
    page(
        StatusCode::OK,
        q.lang.as_deref(),
        st.settings.secure_cookies,
        layout(lang, tx(lang, "trends"), Some(&s), "/dashboard/trends", body),
    )
}

/// The header link's text.
pub fn nav_label(lang: Lang) -> &'static str {
    tx(lang, "trends")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_series_and_a_legend() {
        let mut s = Series::new();
        s.insert("ko".into(), (0..DAYS).collect());
        s.insert("vi".into(), vec![1; DAYS as usize]);
        let svg = line_chart(&s).unwrap();
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("stroke-width=\"2\"").count(), 2 + 2, "two lines and their two legend marks: {svg}");
        assert!(svg.contains(">\nko\n<") && svg.contains(">\nvi\n<"), "{svg}");
    }

    #[test]
    fn many_series_fold_into_other() {
        let s: Series = (0..9).map(|i| (format!("k{i}"), vec![i; DAYS as usize])).collect();
        let top = top_series(s);
        assert_eq!(top.len(), MAX_SERIES);
        assert!(top.contains_key("k8") && !top.contains_key("k0") && top.contains_key("other"));
        assert_eq!(category_of("ko.pay.high"), "pay");
    }
}
