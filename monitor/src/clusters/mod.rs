//! Clusters of cases: one ad reposted on many sites, or one recruiter's different ads. Two cases join when their
//! texts are near duplicates (MinHash over character shingles, from the `gaoya` crate) or when they share a
//! contact indicator that no reviewer rejected. Clusters are the connected components of those edges
//! (union-find), recomputed in one pass whenever a reviewer asks for them (the cluster pages, the takedown
//! export), so they always reflect every report, scan and indicator review so far.

pub mod pages;
pub mod similar;
pub mod store;

use std::collections::HashMap;

use crate::db::Db;

/// Union-find over dense indices, with path halving and union by size.
#[derive(Debug)]
pub struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    /// `n` singletons.
    pub fn new(n: usize) -> Self {
        UnionFind { parent: (0..n).collect(), size: vec![1; n] }
    }

    /// The representative of `x`'s set.
    pub fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins the sets of `a` and `b`.
    pub fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        let (big, small) = if self.size[a] >= self.size[b] { (a, b) } else { (b, a) };
        self.parent[small] = big;
        self.size[big] += self.size[small];
    }
}

/// Groups `ids` given near-duplicate `texts` (id, text) and shared-indicator pairs (case id, indicator id).
/// Returns case id -> cluster id (the smallest case id of its cluster).
pub fn group(ids: &[i64], texts: &[(i64, String)], shared: &[(i64, i64)]) -> HashMap<i64, i64> {
    let index: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut uf = UnionFind::new(ids.len());
    let mut first_with: HashMap<i64, usize> = HashMap::new();
    for (case, indicator) in shared {
        if let Some(&c) = index.get(case) {
            let first = *first_with.entry(*indicator).or_insert(c);
            uf.union(first, c);
        }
    }
    let known: Vec<(usize, &str)> =
        texts.iter().filter_map(|(id, t)| index.get(id).map(|&i| (i, t.as_str()))).collect();
    for (a, b) in similar::near_duplicate_pairs(&known) {
        uf.union(a, b);
    }
    let mut smallest: HashMap<usize, i64> = HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        let root = uf.find(i);
        let e = smallest.entry(root).or_insert(*id);
        *e = (*e).min(*id);
    }
    ids.iter().enumerate().map(|(i, id)| (*id, smallest[&uf.find(i)])).collect()
}

/// Recomputes every case's cluster from the texts stored at report or scan and the shared indicators, and
/// stores it (one transaction: readers see the old clusters or the new ones).
pub async fn recompute(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM cases ORDER BY id").fetch_all(&db.read).await?;
    let ids: Vec<i64> = ids.into_iter().map(|(i,)| i).collect();
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT case_id, excerpt FROM reports WHERE excerpt IS NOT NULL \
         UNION ALL SELECT case_id, excerpt FROM scans",
    )
    .fetch_all(&db.read)
    .await?;
    // The longest text stored for each case stands for it.
    let mut longest: HashMap<i64, String> = HashMap::new();
    for (id, text) in rows {
        let e = longest.entry(id).or_default();
        if text.len() > e.len() {
            *e = text;
        }
    }
    let texts: Vec<(i64, String)> = longest.into_iter().collect();
    // Apply-link domains are left out: one big job board's domain would join unrelated ads.
    let shared: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT ci.case_id, ci.indicator_id FROM case_indicators ci JOIN indicators i ON i.id = ci.indicator_id \
         WHERE i.status <> 'rejected' AND i.kind <> 'domain'",
    )
    .fetch_all(&db.read)
    .await?;
    let groups = group(&ids, &texts, &shared);
    let mut tx = db.write.begin().await?;
    sqlx::query("DELETE FROM case_clusters").execute(&mut *tx).await?;
    for id in &ids {
        sqlx::query("INSERT INTO case_clusters (case_id, cluster_id, computed_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(groups[id])
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicators_and_texts_join_transitively() {
        let ad = "Hotel front desk staff wanted in Sihanoukville, salary 3000 USD a month, visa and flight paid, \
                  no experience needed, apply today";
        let edited = "Hotel  front desk staff wanted in Sihanoukville,\n salary 3200 USD a month, visa and flight \
                      paid, no experience needed, apply now";
        let other = "Bakery in Busan looks for a part-time cashier, weekends, 10,030 won an hour, near the station";
        let texts = vec![(1, ad.to_string()), (2, edited.to_string()), (4, other.to_string())];
        let g = group(&[1, 2, 3, 4, 5], &texts, &[(3, 77), (2, 77)]);
        assert_eq!((g[&1], g[&2], g[&3]), (1, 1, 1), "{g:?}");
        assert_eq!(g[&4], 4);
        assert_eq!(g[&5], 5);
    }
}
