// Package mapping computes cluster mapping figures from employment data:
// where related industries concentrate in an economy, how strongly, and
// whether they grow. It is pure computation (no SQL, no HTTP); stores and
// handlers feed it cells and definition sets and write its results.
//
// # Terms
//
// A cell is one area × industry × year: employment, and optionally
// establishments and wages. A suppressed cell was withheld by the
// statistical office; it has no value and is never treated as zero: it is
// counted (Metric.Suppressed, Totals.Suppressed) and marks every sum it
// belongs to as incomplete. A definition set groups industry codes of one
// classification into clusters, each traded or local, optionally split into
// sub-clusters; one code belongs to at most one cluster of a set.
// Industries in no cluster count in an area's total employment only.
//
// The reference is the economy an area is compared with: the whole dataset
// by default, or a chosen group of areas (a country, the region). Its totals
// are the sums over its areas that have data in the year. The reference's
// areas are also the peers across which the percentile rules rank areas;
// areas outside it get metrics but no rank.
//
// # Figures per area × cluster × year
//
// With x the area's cluster employment, n the area's employment, X the
// reference's cluster employment and N the reference's employment:
//
//	average wage              = wages / x
//	average establishment size = x / establishments
//	share of reference        = x / X
//	share of area             = x / n
//	LQ (textbook)             = (x / n) / (X / N)
//	LQ (cluster mapping)      = (x / n_t) / (X / N_t)
//
// where n_t and N_t are the traded (or local) employment of the area and the
// reference, by the type of the cluster, as the U.S. Cluster Mapping Project
// computes it (clustermapping/cmp, data/processing/cluster_calcs_mapper.js:
// emp_traded_tl or emp_local_tl as denominators). Sums of establishments and
// wages are defined only when every non-suppressed cell carries them; wages
// are summed in hundredths of the currency unit, as integers, so that totals
// do not depend on the order of the cells.
//
// A figure that divides by zero (an LQ against a reference with no
// employment in the cluster, a growth rate from zero) is "not defined": a
// Value in that state prints as an empty CSV cell and JSON null, never NaN or
// an infinity.
//
// # LQ confidence interval
//
// Small economies make small cells, and a single firm can swing an LQ. Each
// LQ carries a delta-method interval on the log scale, after Moineddin,
// Beyene and Boyle (2003), "On the location quotient confidence interval",
// Geographical Analysis 35(3):249–256 (see also Beyene and Moineddin 2005,
// BMC Medical Research Methodology 5:32). With the counts taken as binomial,
//
//	Var(ln LQ) ≈ 1/x − 1/n + 1/X − 1/N
//	LQ · exp(∓ z · √Var),  z = Φ⁻¹((1 + level) / 2)
//
// with the level (0.90, 0.95) a parameter. This form treats the area and the
// reference as independent samples. The area's employment is in fact part of
// the reference's; IntervalNested adds the covariance of the two shares,
// Cov(ln x/n, ln X/N) ≈ (1/X)(1 − x/n), giving
//
//	Var(ln LQ) ≈ 1/x − 1/n + 1/X − 1/N − 2(1/X)(1 − x/n)
//
// which is 0 when the area is the whole reference (its LQ is 1 by
// definition) and matters when an area is a large part of a small country.
// The interval is not defined when x is 0. Significance says whether it
// lies wholly above or below 1.
//
// # Suppression and bounds
//
// Hidden employment in a suppressed cell moves an LQ in a direction that
// depends only on where the cell is (see lqBound): cells of the area outside
// the cluster, or of the cluster outside the area, can only lower it; cells
// elsewhere outside the cluster can only raise it; the area's own cluster
// cells raise x/n and, for an area in its reference, X/N, and the LQ rises
// for any hidden amount s exactly when 1/x − 1/n − 1/X + 1/N ≥ 0 and
// LQ ≤ 1 (expand (1 + s/x)(1 + s/N) ≥ (1 + s/n)(1 + s/X)). LQ.Bound reports
// exact, lower bound, upper bound or unknown accordingly.
//
// # Minimum-cell rule
//
// A cluster value with fewer establishments or employees than MinCellRule
// asks (3 and 10 by default, the usual disclosure thresholds) is marked
// unreliable: it keeps its figures but is left out of every percentile
// distribution and gets no strength category and no star.
//
// # Growth between two years
//
//	job creation = x₁ − x₀
//	CAGR         = (x₁ / x₀)^(1 / (t₁ − t₀)) − 1
//	share change = x₁/X₁ − x₀/X₀
//
// and the classic shift-share decomposition (Dunn 1960, "A statistical and
// analytical technique for regional analysis", Papers of the Regional
// Science Association 6; the Esteban-Marquillas homothetic variant is not
// used), with g = N₁/N₀ − 1, g_c = X₁/X₀ − 1, g_a = x₁/x₀ − 1:
//
//	reference growth effect = x₀ · g
//	industry-mix effect     = x₀ · (g_c − g)
//	competitive effect      = x₀ · (g_a − g_c)
//
// The competitive effect is computed as the remainder of the change, so the
// three add up to x₁ − x₀ (to floating-point rounding). Growth is not
// computed, with a status saying why, for an area without data in either
// year.
//
// # Classifications
//
// Each is a named rule set whose thresholds are data (StrengthRule,
// StarRule, QuadrantRule), so pages can show them; Result.Thresholds lists
// the cut-offs found for every cluster and year.
//
// U.S. Cluster Mapping strong clusters (Delgado, Porter and Stern; the rule
// as coded in the U.S. Cluster Mapping Project's published source,
// clustermapping/cmp, data/processing/cluster_calcs_reducer.js). For each
// traded cluster and year, take the peer areas with employment in the
// cluster and the quantiles of their cluster-mapping LQ, employment and
// establishments. With E and S an area's employment and establishments,
// "large" meaning E > Q25(E) and S > Q25(S):
//
//	qualifying  : large and LQ > Q25(LQ)
//	significant : large and LQ > Q50(LQ)
//	strong      : large and LQ ≥ Q75(LQ) and LQ ≥ 1
//	strong-10   : large and LQ ≥ Q90(LQ) and LQ ≥ 1
//
// Quantiles are those of d3.quantile, which the project uses: linear
// interpolation between order statistics, h = (n − 1)p, Hyndman and Fan
// (1996) definition 7 (see Quantile). The project ranks regions of one type
// across the whole United States; here the peers are the reference's areas,
// and unreliable values are left out of the distributions (with the
// minimum-cell rule switched off the rule is the project's exactly).
//
// European Cluster Observatory stars (Center for Strategy and
// Competitiveness, Stockholm School of Economics, for the European
// Commission: "evaluation of regional cluster strength",
// clusterobservatory.eu). One star each for:
//
//	size           : the area's cluster employment is in the top 10 % of peer areas
//	specialisation : textbook LQ ≥ 2
//	focus          : the cluster's share of the area's employment is in the top 10 %
//
// "Top 10 %" uses the nearest-rank method: with n peers having employment in
// the cluster, k = ⌈0.10·n⌉ (at least 1), and an area is in when its value
// is at least the k-th largest, so tied areas are all in, whatever the input
// order (see TopThreshold). Like the Observatory's categories, the rule
// applies to traded clusters by default.
//
// Portfolio quadrants (the cluster portfolio chart of U.S. regional cluster
// practice, e.g. the Purdue Center for Regional Development's Regional
// Clusters dashboards), from the LQ in the final year and its change: star
// (LQ ≥ 1.2 and rising), mature (LQ ≥ 1.2, not rising), emerging (below 1.2,
// rising), transforming (below 1.2, not rising).
//
// # Determinism and scale
//
// Codes are interned to dense indices in sorted order, sums are integers and
// percentiles depend only on values, so results are identical whatever the
// order of cells or clusters; they are sorted by year, area and cluster.
// Cells are held in columns (27 bytes each); one pass aggregates them into
// dense area × cluster × year arrays, and years are then computed in
// parallel, without allocating per cell.
package mapping
