package mapping

import (
	"fmt"
	"slices"
	"sort"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// Build finishes the dataset: codes are sorted and every cell's indices are
// renumbered to that order, so results do not depend on the order in which
// cells arrived. Two cells for the same year, area and industry are refused.
// The Builder may not be used afterwards.
func (b *Builder) Build() (*Dataset, error) {
	if b.built {
		return nil, fmt.Errorf("mapping: Build called twice")
	}
	b.built = true
	d := &b.d
	if len(d.year) == 0 {
		return nil, problem.New(problem.Invalid, "The dataset has no cells.")
	}
	yearMap := sortedOrder(d.years, func(a, b int) int { return a - b })
	areaMap := sortedOrder(d.areas, compareStrings)
	indMap := sortedOrder(d.industries, compareStrings)
	for i := range d.year {
		d.year[i] = uint16(yearMap[d.year[i]])
		d.area[i] = areaMap[d.area[i]]
		d.industry[i] = indMap[d.industry[i]]
	}
	if err := d.checkDuplicates(); err != nil {
		return nil, err
	}
	b.yearIdx, b.areaIdx, b.indIdx = nil, nil, nil
	return d, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// sortedOrder sorts codes in place and returns, for each old index, the new
// index.
func sortedOrder[T any](codes []T, cmp func(a, b T) int) []uint32 {
	perm := make([]uint32, len(codes))
	for i := range perm {
		perm[i] = uint32(i)
	}
	sorted := slices.Clone(codes)
	slices.SortFunc(perm, func(a, b uint32) int { return cmp(sorted[a], sorted[b]) })
	newOf := make([]uint32, len(codes))
	for newI, oldI := range perm {
		newOf[oldI] = uint32(newI)
		codes[newI] = sorted[oldI]
	}
	return newOf
}

// key is a cell's position in the dense year × area × industry cube.
func (d *Dataset) key(i int) uint64 {
	return (uint64(d.year[i])*uint64(len(d.areas))+uint64(d.area[i]))*uint64(len(d.industries)) + uint64(d.industry[i])
}

// checkDuplicates refuses two cells at the same year, area and industry. A
// bitmap of the cube is used when it is small next to the data (the usual
// case: one bit per possible cell); a sort of the keys otherwise.
func (d *Dataset) checkDuplicates() error {
	n := len(d.year)
	cube := uint64(len(d.years)) * uint64(len(d.areas)) * uint64(len(d.industries))
	if cube <= uint64(n)*64 || cube <= 1<<23 {
		seen := make([]uint64, (cube+63)/64)
		for i := 0; i < n; i++ {
			k := d.key(i)
			if seen[k/64]&(1<<(k%64)) != 0 {
				return d.duplicateError(k)
			}
			seen[k/64] |= 1 << (k % 64)
		}
		return nil
	}
	keys := make([]uint64, n)
	for i := range keys {
		keys[i] = d.key(i)
	}
	sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
	for i := 1; i < n; i++ {
		if keys[i] == keys[i-1] {
			return d.duplicateError(keys[i])
		}
	}
	return nil
}

func (d *Dataset) duplicateError(k uint64) error {
	ind := k % uint64(len(d.industries))
	k /= uint64(len(d.industries))
	area := k % uint64(len(d.areas))
	year := k / uint64(len(d.areas))
	return &problem.Error{Kind: problem.Invalid, Message: "The dataset has two cells for the same year, area and industry.",
		Details: []problem.Detail{{Field: "industry", Message: fmt.Sprintf("year %d, area %q, industry %q appears more than once",
			d.years[year], d.areas[area], d.industries[ind])}}}
}
