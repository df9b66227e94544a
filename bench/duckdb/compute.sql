-- The cluster mapping figures of internal/mapping (see its doc.go), in SQL,
-- for every area with data in a year × every cluster × every year, and the
-- growth between the first and the last year. The reference is the whole
-- dataset; the rules are the defaults: minimum cell 10 employees and 3
-- establishments, U.S. Cluster Mapping strong clusters on the
-- cluster-mapping LQ and European Cluster Observatory stars on the textbook
-- LQ, both for traded clusters only. {{Z}} is the normal quantile of the
-- 95 % interval, computed by the caller exactly as the Go code does.

CREATE TABLE result AS
WITH
flags AS (
    SELECT bool_or(establishments IS NOT NULL) AS has_est, bool_or(wages IS NOT NULL) AS has_wages FROM cells
),
c AS (
    SELECT x.year, x.area, x.employment, x.establishments, CAST(round(x.wages * 100) AS BIGINT) AS wc, x.suppressed,
           d.cluster_code, d.type
    FROM cells x LEFT JOIN defs d ON d.industry = x.industry
),
area_year AS (
    SELECT year, area,
           coalesce(sum(employment) FILTER (WHERE NOT suppressed), 0) AS n_all,
           coalesce(sum(employment) FILTER (WHERE NOT suppressed AND type = 'traded'), 0) AS n_traded,
           coalesce(sum(employment) FILTER (WHERE NOT suppressed AND type = 'local'), 0) AS n_local
    FROM c GROUP BY year, area
),
clusters AS (SELECT DISTINCT cluster_code, type FROM defs),
agg AS (
    SELECT year, area, cluster_code,
           coalesce(sum(employment) FILTER (WHERE NOT suppressed), 0) AS x,
           coalesce(sum(establishments) FILTER (WHERE NOT suppressed), 0) AS est,
           count(*) FILTER (WHERE NOT suppressed AND establishments IS NULL) AS est_missing,
           coalesce(sum(wc) FILTER (WHERE NOT suppressed), 0) AS wc,
           count(*) FILTER (WHERE NOT suppressed AND wc IS NULL) AS wage_missing,
           count(*) AS cells,
           count(*) FILTER (WHERE suppressed) AS supp
    FROM c WHERE cluster_code IS NOT NULL GROUP BY year, area, cluster_code
),
grid AS (
    SELECT a.year, a.area, k.cluster_code, k.type, a.n_all,
           CASE k.type WHEN 'traded' THEN a.n_traded ELSE a.n_local END AS n_type,
           coalesce(g.x, 0) AS x,
           CASE WHEN f.has_est AND coalesce(g.est_missing, 0) = 0 THEN coalesce(g.est, 0) END AS est,
           CASE WHEN f.has_wages AND coalesce(g.wage_missing, 0) = 0 THEN coalesce(g.wc, 0) / 100.0 END AS wages,
           coalesce(g.cells, 0) AS cells, coalesce(g.supp, 0) AS supp
    FROM area_year a CROSS JOIN clusters k CROSS JOIN flags f
    LEFT JOIN agg g ON g.year = a.year AND g.area = a.area AND g.cluster_code = k.cluster_code
),
ref AS (
    SELECT year, sum(n_all) AS n_all, sum(n_traded) AS n_traded, sum(n_local) AS n_local FROM area_year GROUP BY year
),
ref_cluster AS (SELECT year, cluster_code, sum(x) AS x FROM grid GROUP BY year, cluster_code),
m AS (
    SELECT g.*, r.n_all AS ref_all, CASE g.type WHEN 'traded' THEN r.n_traded ELSE r.n_local END AS ref_type, rc.x AS ref_x,
           CASE WHEN g.n_all = 0 OR rc.x = 0 OR r.n_all = 0 THEN NULL
                ELSE (CAST(g.x AS DOUBLE) / g.n_all) / (CAST(rc.x AS DOUBLE) / r.n_all) END AS lq,
           CASE WHEN g.n_type = 0 OR rc.x = 0 OR (CASE g.type WHEN 'traded' THEN r.n_traded ELSE r.n_local END) = 0 THEN NULL
                ELSE (CAST(g.x AS DOUBLE) / g.n_type) / (CAST(rc.x AS DOUBLE) / (CASE g.type WHEN 'traded' THEN r.n_traded ELSE r.n_local END)) END AS lq_cm,
           CASE WHEN rc.x = 0 THEN NULL ELSE CAST(g.x AS DOUBLE) / rc.x END AS share_of_reference,
           CASE WHEN g.n_all = 0 THEN NULL ELSE CAST(g.x AS DOUBLE) / g.n_all END AS share_of_area,
           CASE WHEN g.wages IS NULL OR g.x = 0 THEN NULL ELSE g.wages / g.x END AS average_wage,
           g.x >= 10 AND (g.est IS NULL OR g.est >= 3) AS reliable
    FROM grid g JOIN ref r ON r.year = g.year JOIN ref_cluster rc ON rc.year = g.year AND rc.cluster_code = g.cluster_code
),
ci AS (
    SELECT m.*,
           CASE WHEN lq IS NULL OR x <= 0 THEN NULL
                ELSE exp({{Z}} * sqrt(greatest(1.0 / x - 1.0 / n_all + 1.0 / ref_x - 1.0 / ref_all, 0))) END AS e,
           CASE WHEN lq_cm IS NULL OR x <= 0 THEN NULL
                ELSE exp({{Z}} * sqrt(greatest(1.0 / x - 1.0 / n_type + 1.0 / ref_x - 1.0 / ref_type, 0))) END AS e_cm
    FROM m
),
strength_th AS (
    SELECT year, cluster_code,
           count(*) FILTER (WHERE peer) AS peers,
           quantile_cont(lq_cm, [0.25, 0.5, 0.75, 0.9]) FILTER (WHERE peer) AS q_lq,
           quantile_cont(x, 0.25) FILTER (WHERE peer) AS q_emp,
           quantile_cont(est, 0.25) FILTER (WHERE peer) AS q_est
    FROM (SELECT *, reliable AND x > 0 AND lq_cm IS NOT NULL AND est IS NOT NULL AS peer FROM m WHERE type = 'traded')
    GROUP BY year, cluster_code
),
star_th AS (
    SELECT year, cluster_code, count(*) AS peers,
           list_sort(list(x), 'DESC')[greatest(1, least(CAST(ceil(0.10 * count(*) - 1e-9) AS BIGINT), count(*)))] AS size_th,
           list_sort(list(share_of_area), 'DESC')[greatest(1, least(CAST(ceil(0.10 * count(*) - 1e-9) AS BIGINT), count(*)))] AS focus_th
    FROM m WHERE type = 'traded' AND reliable AND x > 0
    GROUP BY year, cluster_code
)
SELECT ci.year, ci.area, ci.cluster_code AS cluster, ci.type, ci.x AS employment, ci.est AS establishments, ci.wages,
       ci.average_wage, ci.share_of_reference, ci.share_of_area,
       ci.lq, ci.lq / ci.e AS lq_low, ci.lq * ci.e AS lq_high,
       ci.lq_cm, ci.lq_cm / ci.e_cm AS lq_cm_low, ci.lq_cm * ci.e_cm AS lq_cm_high,
       ci.cells, ci.supp AS suppressed, ci.reliable,
       st.q_lq[1] AS lq_qualifying, st.q_lq[2] AS lq_significant, st.q_lq[3] AS lq_strong, st.q_lq[4] AS lq_strong10,
       CASE WHEN ci.type <> 'traded' OR NOT ci.reliable OR ci.lq_cm IS NULL OR ci.est IS NULL OR st.peers = 0 THEN ''
            WHEN NOT (ci.x > st.q_emp AND ci.est > st.q_est) THEN ''
            WHEN ci.lq_cm >= st.q_lq[4] AND ci.lq_cm >= 1 THEN 'strong-10'
            WHEN ci.lq_cm >= st.q_lq[3] AND ci.lq_cm >= 1 THEN 'strong'
            WHEN ci.lq_cm > st.q_lq[2] THEN 'significant'
            WHEN ci.lq_cm > st.q_lq[1] THEN 'qualifying'
            ELSE '' END AS level,
       CASE WHEN ci.type <> 'traded' OR NOT ci.reliable THEN 0
            ELSE CAST(coalesce(ci.lq >= 2, false) AS INTEGER)
               + CAST(ci.x > 0 AND coalesce(sp.peers, 0) > 0 AND ci.x >= sp.size_th AS INTEGER)
               + CAST(ci.x > 0 AND coalesce(sp.peers, 0) > 0 AND ci.share_of_area >= sp.focus_th AS INTEGER) END AS stars
FROM ci
LEFT JOIN strength_th st ON st.year = ci.year AND st.cluster_code = ci.cluster_code
LEFT JOIN star_th sp ON sp.year = ci.year AND sp.cluster_code = ci.cluster_code;

-- Growth between the first and the last year, for every area with data in
-- both: CAGR and the classic shift-share (Dunn 1960), the competitive
-- effect as the remainder.
CREATE TABLE growth AS
WITH
span AS (SELECT min(year) AS y0, max(year) AS y1 FROM result),
ref AS (
    SELECT r.year, r.cluster, sum(r.employment) AS x FROM result r, span WHERE r.year IN (span.y0, span.y1) GROUP BY r.year, r.cluster
),
tot AS (
    SELECT year, sum(coalesce(employment, 0)) FILTER (WHERE NOT suppressed) AS n FROM cells, span WHERE year IN (span.y0, span.y1) GROUP BY year
),
pairs AS (
    SELECT a.area, a.cluster, a.type, a.employment AS x0, b.employment AS x1, span.y1 - span.y0 AS span_years,
           t0.n AS n0, t1.n AS n1, r0.x AS ref0, r1.x AS ref1, span.y1 AS year
    FROM result a JOIN span ON a.year = span.y0
    JOIN result b ON b.year = span.y1 AND b.area = a.area AND b.cluster = a.cluster
    JOIN tot t0 ON t0.year = span.y0 JOIN tot t1 ON t1.year = span.y1
    JOIN ref r0 ON r0.year = span.y0 AND r0.cluster = a.cluster JOIN ref r1 ON r1.year = span.y1 AND r1.cluster = a.cluster
)
SELECT area, cluster, type, year, x0 AS employment_from, x1 AS employment_to, x1 - x0 AS job_creation,
       CASE WHEN x0 <= 0 OR x1 < 0 THEN NULL ELSE pow(CAST(x1 AS DOUBLE) / x0, 1.0 / span_years) - 1 END AS cagr,
       CASE WHEN n0 = 0 OR ref0 = 0 THEN NULL ELSE x0 * (CAST(n1 AS DOUBLE) / n0 - 1) END AS reference_effect,
       CASE WHEN n0 = 0 OR ref0 = 0 THEN NULL ELSE x0 * ((CAST(ref1 AS DOUBLE) / ref0 - 1) - (CAST(n1 AS DOUBLE) / n0 - 1)) END AS mix_effect,
       CASE WHEN n0 = 0 OR ref0 = 0 THEN NULL
            ELSE (x1 - x0) - x0 * (CAST(n1 AS DOUBLE) / n0 - 1) - x0 * ((CAST(ref1 AS DOUBLE) / ref0 - 1) - (CAST(n1 AS DOUBLE) / n0 - 1)) END AS competitive_effect
FROM pairs;
