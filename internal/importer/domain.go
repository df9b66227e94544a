package importer

import (
	"github.com/clusterobservatory/observatory/internal/cluster"
)

// The enumerations and rules the import shares with the registry's domains.
// Roles and name normalisation come from the cluster domain; the
// organisation kinds and size bands are those of the organisations table.

// roleValues are the membership roles of the cluster domain.
func roleValues() []string { return stringsOf(cluster.Roles) }

func stringsOf[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

// orgKindValues are the organisation kinds the registry stores.
func orgKindValues() []string {
	return []string{"bso", "cluster_org", "firm", "research", "government", "funder", "ngo"}
}

// sizeBandValues are the firm size bands the registry stores.
func sizeBandValues() []string { return []string{"micro", "small", "medium", "large"} }

// normaliseName is the form of a name duplicates are compared in, the
// same one the registry stores as name_norm.
func normaliseName(s string) string { return cluster.NormaliseName(s) }
