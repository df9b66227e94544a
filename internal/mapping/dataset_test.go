package mapping

import (
	"errors"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/problem"
)

func TestBuilderRefusesBadCells(t *testing.T) {
	ok := Cell{Year: 2020, Area: "A", Industry: "0111", Employment: 5}
	tests := []struct {
		name   string
		change func(c *Cell)
		field  string
	}{
		{"year", func(c *Cell) { c.Year = 20 }, "year"},
		{"area", func(c *Cell) { c.Area = "" }, "area"},
		{"industry", func(c *Cell) { c.Industry = "" }, "industry"},
		{"negative employment", func(c *Cell) { c.Employment = -1 }, "employment"},
		{"negative establishments", func(c *Cell) { c.Establishments, c.HasEstablishments = -2, true }, "establishments"},
		{"negative wages", func(c *Cell) { c.Wages, c.HasWages = -2, true }, "wages"},
		{"suppressed with a value", func(c *Cell) { c.Suppressed = true }, "suppressed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			err := NewBuilder(0).Add(c)
			var p *problem.Error
			if !errors.As(err, &p) || len(p.Details) != 1 || p.Details[0].Field != tc.field {
				t.Fatalf("error %v, want a problem with field %s", err, tc.field)
			}
		})
	}
}

func TestBuilderRefusesDuplicates(t *testing.T) {
	cells := []Cell{
		{Year: 2020, Area: "B", Industry: "0111", Employment: 5},
		{Year: 2020, Area: "A", Industry: "0111", Employment: 5},
		{Year: 2021, Area: "B", Industry: "0111", Employment: 5},
		{Year: 2020, Area: "B", Industry: "0111", Suppressed: true},
	}
	_, err := NewDataset(cells)
	var p *problem.Error
	if !errors.As(err, &p) || !strings.Contains(p.Details[0].Message, `year 2020, area "B", industry "0111"`) {
		t.Fatalf("error %v, want the duplicate named", err)
	}
	if _, err := NewDataset(nil); problem.KindOf(err) != problem.Invalid {
		t.Errorf("empty dataset: %v", err)
	}
}

func TestDatasetSortsCodes(t *testing.T) {
	d, err := NewDataset([]Cell{
		{Year: 2021, Area: "B", Industry: "0200", Employment: 1},
		{Year: 2019, Area: "A", Industry: "0111", Employment: 2},
		{Year: 2021, Area: "A", Industry: "0200", Employment: 3},
	})
	if err != nil {
		t.Fatal(err)
	}
	if y := d.Years(); len(y) != 2 || y[0] != 2019 || y[1] != 2021 {
		t.Errorf("years %v", y)
	}
	if a := d.Areas(); a[0] != "A" || a[1] != "B" {
		t.Errorf("areas %v", a)
	}
	if !d.HasYear(2021) || d.HasYear(2020) || d.Len() != 3 {
		t.Error("HasYear or Len")
	}
	// The cell of area B must still point at B after renumbering.
	if d.areas[d.area[0]] != "B" || d.industries[d.industry[1]] != "0111" || d.years[d.year[1]] != 2019 {
		t.Error("cells lost their codes when renumbered")
	}
}
