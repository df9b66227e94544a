package mapping

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// definitionParser turns the rows of a definitions file, CSV or Excel, into
// a set, collecting every problem with its row and column.
type definitionParser struct {
	file, sheet, class string
	col                map[string]int // column name → index
	problems           []problem.Detail
	more               int // problems past the cap
	rows               int
	set                *DefinitionSet
	at                 map[string]int // cluster code → index in set.Clusters
	clusterRow         map[string]int
	codeRow            map[string]int
	codeCluster        map[string]string
	subName            map[[2]string]string // (cluster, sub-cluster code) → name
	subRow             map[[2]string]int
}

func newDefinitionParser(file, sheet, classification string) *definitionParser {
	return &definitionParser{file: file, sheet: sheet, class: classification, set: &DefinitionSet{Classification: classification},
		at: map[string]int{}, clusterRow: map[string]int{}, codeRow: map[string]int{}, codeCluster: map[string]string{},
		subName: map[[2]string]string{}, subRow: map[[2]string]int{}}
}

func (p *definitionParser) problem(row int, field, format string, args ...any) {
	if len(p.problems) >= maxFileProblems {
		p.more++
		return
	}
	p.problems = append(p.problems, problem.Detail{File: p.file, Sheet: p.sheet, Row: row, Field: field, Message: fmt.Sprintf(format, args...)})
}

// add reads one row (1-based); it returns false when reading should stop.
func (p *definitionParser) add(row int, cells []string) bool {
	if p.col == nil {
		return p.header(cells)
	}
	blank := true
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			blank = false
			break
		}
	}
	if blank {
		return true
	}
	p.rows++
	if p.rows > maxDefinitionRows {
		p.problem(row, "", "The file has more than %d rows; a definition set needs far fewer.", maxDefinitionRows)
		return false
	}
	if len(cells) > len(p.col) {
		for _, c := range cells[len(p.col):] {
			if strings.TrimSpace(c) != "" {
				p.problem(row, "", "The row has more cells than the header has columns.")
				break
			}
		}
	}
	get := func(name string) string {
		i, ok := p.col[name]
		if !ok || i >= len(cells) {
			return ""
		}
		return strings.TrimSpace(cells[i])
	}
	for _, name := range DefinitionColumns {
		if v := get(name); utf8.RuneCountInString(v) > maxDefinitionCell {
			p.problem(row, name, "The value is longer than %d characters.", maxDefinitionCell)
			return true
		}
	}
	code, name, typText, ind := get("cluster_code"), get("cluster_name"), get("type"), normaliseIndustry(get("industry"), p.class)
	scCode, scName := get("subcluster_code"), get("subcluster_name")
	ok := true
	need := func(v, field, what string) {
		if v == "" {
			p.problem(row, field, "The %s is missing.", what)
			ok = false
		}
	}
	need(code, "cluster_code", "cluster code")
	need(name, "cluster_name", "cluster name")
	need(ind, "industry", "industry code")
	typ, err := ParseClusterType(typText)
	if typText == "" {
		p.problem(row, "type", "The cluster type is missing: write traded or local.")
		ok = false
	} else if err != nil {
		p.problem(row, "type", "%q is neither traded nor local.", typText)
		ok = false
	}
	if ind != "" && !industryFormatOK(ind, p.class) {
		p.problem(row, "industry", "%q is not %s.", ind, industryFormat(p.class))
		ok = false
	}
	if (scCode == "") != (scName == "") {
		if scCode == "" {
			p.problem(row, "subcluster_code", "The sub-cluster %q has no code.", scName)
		} else {
			p.problem(row, "subcluster_name", "Sub-cluster %q has no name.", scCode)
		}
		ok = false
	}
	if !ok {
		return true
	}
	return p.place(row, code, name, typ, ind, scCode, scName)
}

// place files a valid row's industry under its cluster and sub-cluster,
// checking that it agrees with earlier rows.
func (p *definitionParser) place(row int, code, name string, typ ClusterType, ind, scCode, scName string) bool {
	ci, seen := p.at[code]
	if !seen {
		ci = len(p.set.Clusters)
		p.at[code], p.clusterRow[code] = ci, row
		p.set.Clusters = append(p.set.Clusters, Cluster{Code: code, Name: name, Type: typ})
	}
	c := &p.set.Clusters[ci]
	first := p.clusterRow[code]
	conflict := false
	if c.Name != name {
		p.problem(row, "cluster_name", "Cluster %q is named %q here but %q in row %d.", code, name, c.Name, first)
		conflict = true
	}
	if c.Type != typ {
		p.problem(row, "type", "Cluster %q is %s here but %s in row %d.", code, typ, c.Type, first)
		conflict = true
	}
	if prev, dup := p.codeRow[ind]; dup {
		if other := p.codeCluster[ind]; other == code {
			p.problem(row, "industry", "Industry %q is listed twice in cluster %q (rows %d and %d).", ind, code, prev, row)
		} else {
			p.problem(row, "industry", "Industry %q is in cluster %q in row %d and in cluster %q in row %d; a code may belong to only one cluster of a set.",
				ind, other, prev, code, row)
		}
		return true
	}
	if scCode != "" {
		key := [2]string{code, scCode}
		if prev, ok := p.subName[key]; ok && prev != scName {
			p.problem(row, "subcluster_name", "Sub-cluster %q of cluster %q is named %q here but %q in row %d.", scCode, code, scName, prev, p.subRow[key])
			conflict = true
		} else if !ok {
			p.subName[key], p.subRow[key] = scName, row
		}
	}
	if conflict {
		return true
	}
	p.codeRow[ind], p.codeCluster[ind] = row, code
	c.Industries = append(c.Industries, ind)
	if scCode != "" {
		addToSubcluster(c, scCode, scName, ind)
	}
	return true
}

func (p *definitionParser) header(cells []string) bool {
	p.col = map[string]int{}
	known := map[string]bool{}
	for _, c := range DefinitionColumns {
		known[c] = true
	}
	for i, c := range cells {
		name := strings.ToLower(strings.TrimSpace(c))
		switch {
		case name == "":
			if i < len(cells)-1 {
				p.problem(1, fmt.Sprintf("column %d", i+1), "The column has no name; expected %s.", strings.Join(DefinitionColumns, ", "))
			}
		case !known[name]:
			p.problem(1, c, "Unknown column %q; the columns are %s.", c, strings.Join(DefinitionColumns, ", "))
		default:
			if _, dup := p.col[name]; dup {
				p.problem(1, name, "The column %q appears twice.", name)
			}
			p.col[name] = i
		}
	}
	for _, name := range DefinitionColumns[:4] {
		if _, ok := p.col[name]; !ok {
			p.problem(1, name, "The column %q is missing.", name)
		}
	}
	// Rows cannot be read against a wrong header: report it alone.
	return len(p.problems) == 0
}

// finish returns the file, or every problem found.
func (p *definitionParser) finish() (*DefinitionFile, error) {
	if p.col == nil {
		p.problem(0, "", "The file is empty; it needs a header row and one row per industry.")
	} else if p.rows == 0 && len(p.problems) == 0 {
		p.problem(2, "", "The file has a header but no rows; add one row per industry.")
	}
	if len(p.problems) > 0 {
		details := p.problems
		if p.more > 0 {
			details = append(details, problem.Detail{File: p.file, Sheet: p.sheet, Message: fmt.Sprintf("%d more problems are not listed.", p.more)})
		}
		return nil, &problem.Error{Kind: problem.Invalid, Message: fmt.Sprintf("%s has %d problems; nothing was stored.", p.file, len(p.problems)+p.more),
			Details: details}
	}
	for i := range p.set.Clusters {
		sortSubclusters(p.set.Clusters[i].Subclusters)
	}
	sortClusters(p.set.Clusters)
	return &DefinitionFile{Set: p.set, File: p.file, Sheet: p.sheet, Rows: p.rows, cluster: p.clusterRow, code: p.codeRow}, nil
}

// normaliseIndustry trims a code and restores the leading zero that
// spreadsheets drop from ISIC classes stored as numbers (111 → 0111).
func normaliseIndustry(code, classification string) string {
	code = strings.TrimSuffix(strings.TrimSpace(code), ".0")
	if classification == classISIC && len(code) == 3 && allDigits(code) {
		return "0" + code
	}
	return code
}

func industryFormatOK(code, classification string) bool {
	switch classification {
	case classISIC:
		return len(code) == 4 && allDigits(code)
	case classNAICS:
		return len(code) == 6 && allDigits(code)
	}
	return true // the classification itself is reported elsewhere
}

func industryFormat(classification string) string {
	if classification == classNAICS {
		return "a 2012 NAICS code (6 digits, such as 336411)"
	}
	return "an ISIC Rev.4 class code (4 digits, such as 0111)"
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
