package refdata

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
)

// BuiltinSetName is the name of the cluster definition set the platform
// ships: the US benchmark clusters in NAICS 2012.
const BuiltinSetName = "US benchmark clusters (Delgado, Porter and Stern 2016)"

// builtinSetDescription cites the definitions and the attribution the US
// Cluster Mapping Project asks for.
const builtinSetDescription = "Benchmark cluster definitions of the US Cluster Mapping Project: 51 traded and 16 local clusters " +
	"over 978 six-digit 2012 NAICS codes. Delgado, M., Porter, M. E. and Stern, S. (2016), \"Defining clusters of related industries\", " +
	"Journal of Economic Geography 16(1): 1-38. Source: U.S. Cluster Mapping (http://clustermapping.us), Institute for Strategy and " +
	"Competitiveness, Harvard Business School. 15 codes have no sub-cluster, since no public source assigns one."

// mappingFiles are the embedded files loadMapping reads; their checksum,
// with mappingFormat, decides whether a start has anything to refresh.
var mappingFiles = []string{"naics2012_isic4_concordance.csv", "us_benchmark_clusters_naics2012.csv"}

// mappingFormat changes when the way the files are loaded changes, so that
// a release that loads them differently reloads them once.
const mappingFormat = "mapping-v1"

// mappingKey is the settings row holding the checksum of what was loaded.
const mappingKey = "refdata.mapping"

// loadMapping loads NAICS 2012, its concordance to ISIC Rev.4 and the
// built-in definition set, in one transaction. A start whose embedded files
// match the checksum stored at the last load does nothing, so restarts stay
// fast; a release with new files refreshes every row in place (the built-in
// set keeps its ID, so runs and derived sets still point at it).
func loadMapping(ctx context.Context, d *db.DB) error {
	sum, err := mappingChecksum()
	if err != nil {
		return err
	}
	var have string
	err = d.Read().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, mappingKey).Scan(&have)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("mapping reference data: %w", err)
	}
	if have == sum {
		return nil
	}
	conc, err := CSV("naics2012_isic4_concordance.csv")
	if err != nil {
		return err
	}
	bench, err := CSV("us_benchmark_clusters_naics2012.csv")
	if err != nil {
		return err
	}
	codes, links, err := readConcordance(conc)
	if err != nil {
		return err
	}
	set, err := readBenchmark(bench)
	if err != nil {
		return err
	}
	return d.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.InsertRows(ctx, tx, `INSERT INTO naics_codes (code, title)`, 2, codes,
			`ON CONFLICT (code) DO UPDATE SET title = excluded.title`); err != nil {
			return fmt.Errorf("naics codes: %w", err)
		}
		// The concordance is replaced whole: no table refers to its rows, and
		// a link the Census Bureau dropped must not survive a refresh.
		if _, err := tx.ExecContext(ctx, `DELETE FROM naics_isic`); err != nil {
			return err
		}
		if err := db.InsertRows(ctx, tx, `INSERT INTO naics_isic (naics_code, isic_code, partial, notes)`, 4, links, ""); err != nil {
			return fmt.Errorf("naics to isic: %w", err)
		}
		if err := storeBuiltinSet(ctx, tx, set); err != nil {
			return fmt.Errorf("built-in definition set: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, mappingKey, sum)
		return err
	})
}

func mappingChecksum() (string, error) {
	h := sha256.New()
	h.Write([]byte(mappingFormat))
	for _, name := range mappingFiles {
		b, err := files.ReadFile("data/" + name)
		if err != nil {
			return "", err
		}
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// readConcordance returns the NAICS codes with their titles and the links
// to ISIC. The pseudo-code "0" ("Multiple NAICS industries", linked to ISIC
// 9810 and 9820 for households' own use) is left out of both: it is no
// industry, cannot be a code of a set or a dataset, and would otherwise
// vote in every derivation. The source repeats two (NAICS, ISIC) pairs with
// different notes; their notes are joined with "; ".
func readConcordance(rows [][]string) (codes, links [][]any, err error) {
	if len(rows) == 0 || strings.Join(rows[0], ",") != "naics2012,naics_title,isic4,isic_level,isic_title,partial,notes" {
		return nil, nil, errors.New("naics2012_isic4_concordance.csv: unexpected header")
	}
	seen := map[string]bool{}
	at := map[[2]string]int{}
	for _, r := range rows[1:] {
		naics, isic := r[0], r[2]
		if naics == "0" {
			continue
		}
		if !seen[naics] {
			seen[naics] = true
			codes = append(codes, []any{naics, r[1]})
		}
		key := [2]string{naics, isic}
		if i, dup := at[key]; dup {
			if note := r[6]; note != "" {
				if prev := links[i][3].(string); prev != "" && prev != note {
					links[i][3] = prev + "; " + note
				} else if prev == "" {
					links[i][3] = note
				}
			}
			continue
		}
		at[key] = len(links)
		links = append(links, []any{naics, isic, r[5] == "y", r[6]})
	}
	return codes, links, nil
}

// benchmarkSet is the built-in set as read from its file.
type benchmarkSet struct {
	clusters   [][]any // code, name, type
	industries [][]any // industry, cluster code, sub-cluster code, sub-cluster name
}

// readBenchmark reads the benchmark definitions, checking that each cluster
// has one name and type throughout and each code one cluster.
func readBenchmark(rows [][]string) (*benchmarkSet, error) {
	const header = "cluster_code,cluster_key,cluster_name,type,subcluster_code,subcluster_name,naics6,naics_title,subcluster_source"
	if len(rows) == 0 || strings.Join(rows[0], ",") != header {
		return nil, errors.New("us_benchmark_clusters_naics2012.csv: unexpected header")
	}
	set := &benchmarkSet{}
	clusters := map[string][2]string{}
	industries := map[string]bool{}
	for i, r := range rows[1:] {
		code, name, typ := r[0], r[2], r[3]
		if prev, ok := clusters[code]; ok {
			if prev != [2]string{name, typ} {
				return nil, fmt.Errorf("us_benchmark_clusters_naics2012.csv row %d: cluster %s changes name or type", i+2, code)
			}
		} else {
			clusters[code] = [2]string{name, typ}
			set.clusters = append(set.clusters, []any{code, name, typ})
		}
		if industries[r[6]] {
			return nil, fmt.Errorf("us_benchmark_clusters_naics2012.csv row %d: NAICS %s is listed twice", i+2, r[6])
		}
		industries[r[6]] = true
		set.industries = append(set.industries, []any{r[6], code, r[4], r[5]})
	}
	return set, nil
}

// storeBuiltinSet creates the built-in set or refreshes it in place. An
// administrator's archiving of it is kept.
func storeBuiltinSet(ctx context.Context, tx *sql.Tx, set *benchmarkSet) error {
	now := db.Now()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO definition_sets (name, classification, description, builtin, created_at, updated_at)
		VALUES ($1, 'naics2012', $2, TRUE, $3, $3)
		ON CONFLICT (name) DO UPDATE SET classification = excluded.classification, description = excluded.description,
			builtin = TRUE, derived_from = NULL, updated_at = excluded.updated_at
		RETURNING id`, BuiltinSetName, builtinSetDescription, now).Scan(&id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM definition_industries WHERE set_id = $1`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM definition_clusters WHERE set_id = $1`, id); err != nil {
		return err
	}
	clusters := make([][]any, len(set.clusters))
	for i, c := range set.clusters {
		clusters[i] = append([]any{id}, c...)
	}
	if err := db.InsertRows(ctx, tx, `INSERT INTO definition_clusters (set_id, code, name, type)`, 4, clusters, ""); err != nil {
		return err
	}
	industries := make([][]any, len(set.industries))
	for i, ind := range set.industries {
		industries[i] = append([]any{id}, ind...)
	}
	return db.InsertRows(ctx, tx, `INSERT INTO definition_industries (set_id, industry, cluster_code, subcluster_code, subcluster_name)`, 5, industries, "")
}
