package importer

import (
	"github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/org"
)

// The enumerations and rules the import shares with the registry's domains:
// membership roles from the cluster domain; organisation kinds, size bands
// and name normalisation from the organisations domain.

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
func orgKindValues() []string { return stringsOf(org.Kinds) }

// sizeBandValues are the firm size bands the registry stores.
func sizeBandValues() []string { return stringsOf(org.SizeBands) }

// normaliseName is the form of a name duplicates are compared in, the
// same one the registry stores as name_norm.
func normaliseName(s string) string { return org.NormaliseName(s) }
