package demo

import (
	"context"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/mapping"
	"github.com/clusterobservatory/observatory/internal/refdata"
	"github.com/clusterobservatory/observatory/internal/user"
)

// DerivedSetName names the ISIC Rev.4 version of the U.S. benchmark cluster
// definitions that the demo region maps its employment data with.
const DerivedSetName = "US benchmark clusters in ISIC Rev.4 (derived)"

// deriveISICSet converts the built-in NAICS definitions to ISIC Rev.4, the
// classification of the demonstration employment data, so that the cluster
// mapping explorer has figures to show from the first start. It runs after
// the region's transaction because deriving writes in a transaction of its
// own; the conversion is deterministic, so a second run would give the same
// set.
func deriveISICSet(ctx context.Context, d *db.DB) error {
	s := mapping.NewStore(d)
	builtin, err := s.FindDefinitionSetByName(ctx, refdata.BuiltinSetName)
	if err != nil {
		return err
	}
	_, _, err = s.DeriveISICSet(ctx, user.System, builtin.ID, DerivedSetName)
	return err
}
