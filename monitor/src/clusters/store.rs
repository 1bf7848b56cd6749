//! Reading clusters back: each cluster's cases with their URLs, hosts, rules, contacts and stored texts, and
//! the takedown grouping of confirmed clusters' URLs by platform (host).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::cases::CONFIRMED;
use crate::db::Db;

/// One case in a cluster.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    /// Case id.
    pub case_id: i64,
    /// Its normalised URL.
    pub url: String,
    /// Its host (the platform a takedown request goes to).
    pub host: String,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: String,
    /// Reports received.
    pub report_count: i64,
    /// First seen (Unix seconds).
    pub first_seen: i64,
    /// Last seen (Unix seconds).
    pub last_seen: i64,
    /// The longest text stored at report or scan, if any.
    pub text: Option<String>,
}

/// A cluster: its cases and what they share.
#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    /// The smallest case id in it.
    pub id: i64,
    /// Its cases, oldest id first.
    pub members: Vec<Member>,
    /// `kind:value` of the contacts its cases carry (rejected ones left out).
    pub indicators: BTreeSet<String>,
    /// Rule id -> reports and scans that matched it.
    pub rules: BTreeMap<String, i64>,
    /// Earliest first seen of its cases (Unix seconds).
    pub first_seen: i64,
    /// Latest last seen (Unix seconds).
    pub last_seen: i64,
    /// Reports over all its cases.
    pub report_count: i64,
}

impl Cluster {
    /// True when a reviewer confirmed one of its cases as a scam.
    pub fn confirmed(&self) -> bool {
        self.members.iter().any(|m| CONFIRMED.contains(&m.status.as_str()))
    }

    /// Distinct hosts.
    pub fn hosts(&self) -> BTreeSet<&str> {
        self.members.iter().map(|m| m.host.as_str()).collect()
    }
}

type CaseRow = (i64, i64, String, String, String, String, i64, i64, i64);

/// Every cluster as last recomputed (see [`super::recompute`]), largest first.
pub async fn all(db: &Db) -> Result<Vec<Cluster>, sqlx::Error> {
    let rows: Vec<CaseRow> = sqlx::query_as(
        "SELECT cc.cluster_id, c.id, c.url_norm, c.domain, c.title, c.status, c.report_count, c.first_reported, \
         c.last_reported FROM case_clusters cc JOIN cases c ON c.id = cc.case_id ORDER BY cc.cluster_id, c.id",
    )
    .fetch_all(&db.read)
    .await?;
    let texts: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT case_id, rules, COALESCE(excerpt, '') FROM reports UNION ALL SELECT case_id, rules, excerpt FROM scans",
    )
    .fetch_all(&db.read)
    .await?;
    let mut rules: HashMap<i64, Vec<String>> = HashMap::new();
    let mut text: HashMap<i64, String> = HashMap::new();
    for (id, r, t) in texts {
        rules.entry(id).or_default().extend(serde_json::from_str::<Vec<String>>(&r).unwrap_or_default());
        let e = text.entry(id).or_default();
        if t.len() > e.len() {
            *e = t;
        }
    }
    let inds: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT ci.case_id, i.kind, i.value FROM case_indicators ci JOIN indicators i ON i.id = ci.indicator_id \
         WHERE i.status <> 'rejected'",
    )
    .fetch_all(&db.read)
    .await?;
    let mut indicators: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, kind, value) in inds {
        indicators.entry(id).or_default().push(format!("{kind}:{value}"));
    }
    let mut out: Vec<Cluster> = Vec::new();
    for (cluster, id, url, host, title, status, report_count, first, last) in rows {
        if out.last().is_none_or(|c| c.id != cluster) {
            out.push(Cluster {
                id: cluster,
                members: Vec::new(),
                indicators: BTreeSet::new(),
                rules: BTreeMap::new(),
                first_seen: first,
                last_seen: last,
                report_count: 0,
            });
        }
        let c = out.last_mut().expect("pushed above");
        for r in rules.remove(&id).unwrap_or_default() {
            *c.rules.entry(r).or_insert(0) += 1;
        }
        c.indicators.extend(indicators.remove(&id).unwrap_or_default());
        c.first_seen = c.first_seen.min(first);
        c.last_seen = c.last_seen.max(last);
        c.report_count += report_count;
        let text = text.remove(&id).filter(|t| !t.is_empty());
        c.members.push(Member {
            case_id: id,
            url,
            host,
            title,
            status,
            report_count,
            first_seen: first,
            last_seen: last,
            text,
        });
    }
    out.sort_by(|a, b| b.members.len().cmp(&a.members.len()).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// One platform's share of a confirmed cluster, for a takedown request to that platform.
#[derive(Debug, Clone, Serialize)]
pub struct PlatformUrls {
    /// The host.
    pub host: String,
    /// The cluster's URLs on it.
    pub urls: Vec<String>,
}

/// A confirmed cluster in the takedown export: its URLs grouped by platform, and the evidence.
#[derive(Debug, Clone, Serialize)]
pub struct ExportCluster {
    /// Cluster id.
    pub cluster_id: i64,
    /// URLs by host.
    pub platforms: Vec<PlatformUrls>,
    /// Matched rules (rule id -> reports and scans).
    pub rules: BTreeMap<String, i64>,
    /// Contacts (`kind:value`).
    pub indicators: BTreeSet<String>,
    /// First seen, RFC 3339.
    pub first_seen: String,
    /// Last seen, RFC 3339.
    pub last_seen: String,
    /// Reports over all its cases.
    pub report_count: i64,
    /// The texts stored at scan or report, one per case that has one (`url`, `text`).
    pub texts: Vec<(String, String)>,
}

/// The confirmed clusters, for the takedown export.
pub fn export(clusters: &[Cluster]) -> Vec<ExportCluster> {
    clusters
        .iter()
        .filter(|c| c.confirmed())
        .map(|c| {
            let mut by_host: BTreeMap<&str, Vec<String>> = BTreeMap::new();
            for m in &c.members {
                by_host.entry(&m.host).or_default().push(m.url.clone());
            }
            ExportCluster {
                cluster_id: c.id,
                platforms: by_host.into_iter().map(|(h, urls)| PlatformUrls { host: h.to_string(), urls }).collect(),
                rules: c.rules.clone(),
                indicators: c.indicators.clone(),
                first_seen: crate::clock::rfc3339(c.first_seen),
                last_seen: crate::clock::rfc3339(c.last_seen),
                report_count: c.report_count,
                texts: c.members.iter().filter_map(|m| m.text.clone().map(|t| (m.url.clone(), t))).collect(),
            }
        })
        .collect()
}
