package region

import (
	"github.com/clusterobservatory/observatory/internal/geo"
	"github.com/clusterobservatory/observatory/internal/i18n"
)

// ClusterRow is an initiative of a country's list with its labels.
type ClusterRow struct {
	ClusterItem
	SectorLabel string
	StageLabel  string
}

// areasTable is the data of the firms-by-area fragment.
type areasTable struct {
	Caption string
	Groups  []AreaGroup
	NoArea  int // firms with no area recorded
	Total   int // all the country's firms
}

// AreaRow is a row of the firms-by-area table.
type AreaRow struct {
	AreaFigures
	TypeLabel string
}

// AreaGroup is a row group of the firms-by-area table: in a country whose
// areas contain others, a top-level area (Head) and the areas inside it;
// elsewhere one group of all the areas, without a head.
type AreaGroup struct {
	Head *AreaRow
	Rows []AreaRow
}

// areaGroups splits areas in hierarchy order into row groups.
func areaGroups(loc *i18n.Localizer, areas []AreaFigures, nested bool) []AreaGroup {
	var groups []AreaGroup
	for _, a := range areas {
		row := AreaRow{AreaFigures: a, TypeLabel: geo.AreaTypeLabel(loc, a.Type)}
		switch {
		case !nested:
			if len(groups) == 0 {
				groups = append(groups, AreaGroup{})
			}
			groups[0].Rows = append(groups[0].Rows, row)
		case a.Depth == 0:
			groups = append(groups, AreaGroup{Head: &row})
		default:
			if len(groups) == 0 {
				groups = append(groups, AreaGroup{})
			}
			g := &groups[len(groups)-1]
			g.Rows = append(g.Rows, row)
		}
	}
	return groups
}
