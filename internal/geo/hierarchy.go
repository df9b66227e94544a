package geo

import (
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Arrange puts areas in hierarchy order: each country's top-level areas by
// name, each followed by the areas inside it (by name, recursively), and
// sets Depth. An area whose parent is not in the list is treated as top
// level, so nothing is ever dropped. Countries keep the order in which they
// first appear.
func Arrange(areas []*Area) []*Area {
	col := collate.New(language.Und, collate.IgnoreCase)
	var countries []string
	byCountry := map[string][]*Area{}
	for _, a := range areas {
		if _, seen := byCountry[a.Country]; !seen {
			countries = append(countries, a.Country)
		}
		byCountry[a.Country] = append(byCountry[a.Country], a)
	}
	out := make([]*Area, 0, len(areas))
	for _, iso := range countries {
		out = append(out, arrangeCountry(col, byCountry[iso])...)
	}
	return out
}

func arrangeCountry(col *collate.Collator, areas []*Area) []*Area {
	codes := map[string]bool{}
	for _, a := range areas {
		if a.Code != "" {
			codes[a.Code] = true
		}
	}
	children := map[string][]*Area{}
	var top []*Area
	for _, a := range areas {
		if a.ParentCode == "" || !codes[a.ParentCode] || a.ParentCode == a.Code {
			top = append(top, a)
		} else {
			children[a.ParentCode] = append(children[a.ParentCode], a)
		}
	}
	byName := func(list []*Area) {
		slices.SortStableFunc(list, func(x, y *Area) int {
			if c := col.CompareString(x.Name, y.Name); c != 0 {
				return c
			}
			return strings.Compare(x.Code, y.Code)
		})
	}
	out := make([]*Area, 0, len(areas))
	placed := map[*Area]bool{}
	var walk func(list []*Area, depth int)
	walk = func(list []*Area, depth int) {
		byName(list)
		for _, a := range list {
			if placed[a] {
				continue
			}
			placed[a] = true
			a.Depth = depth
			out = append(out, a)
			if a.Code != "" {
				walk(children[a.Code], depth+1)
			}
		}
	}
	walk(top, 0)
	// Areas caught in a parent cycle were never reached from the top level:
	// list them at the top rather than lose them.
	var rest []*Area
	for _, a := range areas {
		if !placed[a] {
			rest = append(rest, a)
		}
	}
	if len(rest) > 0 {
		walk(rest, 0)
	}
	return out
}
