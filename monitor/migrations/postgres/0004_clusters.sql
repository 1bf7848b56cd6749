-- Clusters (one ad reposted on many sites, or one recruiter's ads): the cluster each case belongs to, rewritten
-- in one pass whenever the clusters are asked for. A cluster is named by the smallest case id in it.
CREATE TABLE case_clusters (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id),
    cluster_id BIGINT NOT NULL,
    computed_at BIGINT NOT NULL
);
CREATE INDEX case_clusters_by_cluster ON case_clusters (cluster_id, case_id);
