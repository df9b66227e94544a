package region

import (
	"github.com/clusterobservatory/observatory/internal/i18n"
)

// Sector and stage values belong to the cluster domain; this catalogue
// names them for the region's charts (region.sector.*, region.stage.*). A
// value it does not know is shown as stored rather than as a raw key.

// SectorLabel names a sector in the localizer's language.
func SectorLabel(loc *i18n.Localizer, sector string) string {
	return label(loc, "region.sector.", sector)
}

// StageLabel names a lifecycle stage in the localizer's language.
func StageLabel(loc *i18n.Localizer, stage string) string {
	return label(loc, "region.stage.", stage)
}

func label(loc *i18n.Localizer, prefix, value string) string {
	if value == "" || !i18n.Has(prefix+value) {
		return value
	}
	return loc.T(prefix + value)
}

// LabelledCount is a count with its key (for CSS classes such as the stage
// badge) and its label in the page's language.
type LabelledCount struct {
	Key   string
	Label string
	N     int
}

func labelCounts(loc *i18n.Localizer, counts []Count, name func(*i18n.Localizer, string) string) []LabelledCount {
	out := make([]LabelledCount, len(counts))
	for i, c := range counts {
		out[i] = LabelledCount{Key: c.Key, Label: name(loc, c.Key), N: c.N}
	}
	return out
}
