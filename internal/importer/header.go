package importer

import (
	"fmt"
	"slices"
	"strings"
)

// header maps a file's header row to the kind's columns.
type header struct {
	kind Kind
	cols []Column
	// at gives, for each of the kind's columns, the index of its cell in
	// the file's rows, or -1 when the file lacks the column.
	at []int
	// width is the number of cells the header has, blank ones included.
	width int
	// unnamed lists cells whose header is blank: values under them are
	// reported, since they belong to no column.
	unnamed []int
}

// has reports whether the file has the named column.
func (h *header) has(name string) bool {
	i := slices.IndexFunc(h.cols, func(c Column) bool { return c.Name == name })
	return i >= 0 && h.at[i] >= 0
}

// mapHeader matches header cells to the kind's columns and returns what is
// wrong with the header: duplicated, unknown and missing columns. A file
// with unknown columns is refused rather than read in part, because they
// usually mean a wrong or shifted file.
func mapHeader(kind Kind, cells []string) (*header, []string) {
	h := &header{kind: kind, cols: kind.Columns(), width: len(cells)}
	h.at = make([]int, len(h.cols))
	for i := range h.at {
		h.at[i] = -1
	}
	index := map[string]int{}
	for i, c := range h.cols {
		index[c.Name] = i
	}
	var unknown, dup []string
	for cell, raw := range cells {
		name := normaliseHeader(raw)
		if name == "" {
			h.unnamed = append(h.unnamed, cell)
			continue
		}
		i, ok := index[name]
		switch {
		case !ok:
			unknown = append(unknown, strings.TrimSpace(raw))
		case h.at[i] >= 0:
			dup = append(dup, name)
		default:
			h.at[i] = cell
		}
	}
	var msgs []string
	if len(dup) > 0 {
		msgs = append(msgs, fmt.Sprintf("the header names %s more than once; keep one column of each", quoteList(dup)))
	}
	var missing []string
	groups := map[string][]string{}
	for i, c := range h.cols {
		switch {
		case c.Required && h.at[i] < 0:
			missing = append(missing, c.Name)
		case c.OneOf != "":
			groups[c.OneOf] = append(groups[c.OneOf], c.Name)
		}
	}
	if len(missing) > 0 {
		msgs = append(msgs, fmt.Sprintf("required columns are missing: %s (the header row must be row 1; download the template for the exact names)", quoteList(missing)))
	}
	for _, g := range []string{"cluster", "organisation"} {
		names := groups[g]
		if len(names) > 0 && !slices.ContainsFunc(names, h.has) {
			msgs = append(msgs, fmt.Sprintf("one of the columns %s is required", quoteList(names)))
		}
	}
	if len(unknown) > 0 {
		msg := fmt.Sprintf("unknown columns %s: remove them or check that the file is a %s file and that no column is shifted; the columns are %s",
			quoteList(unknown), kind, strings.Join(kind.ColumnNames(), ", "))
		if other := otherKind(kind); allIn(unknown, other.ColumnNames()) {
			msg += fmt.Sprintf(" (this looks like a %s file)", other)
		}
		msgs = append(msgs, msg)
	}
	return h, msgs
}

// values returns a row's cells in the kind's column order, trimmed.
func (h *header) values(cells []string) []string {
	out := make([]string, len(h.cols))
	for i, at := range h.at {
		if at >= 0 && at < len(cells) {
			out[i] = strings.TrimSpace(cells[at])
		}
	}
	return out
}

// strays lists the cells of a row that hold a value but no column: under
// a blank header cell or beyond the header's last cell.
func (h *header) strays(cells []string) []int {
	var out []int
	for _, i := range h.unnamed {
		if i < len(cells) && strings.TrimSpace(cells[i]) != "" {
			out = append(out, i)
		}
	}
	for i := h.width; i < len(cells); i++ {
		if strings.TrimSpace(cells[i]) != "" {
			out = append(out, i)
		}
	}
	return out
}

// column returns the name of the kind's column at a cell index, or "".
func (h *header) column(cell int) string {
	for i, at := range h.at {
		if at == cell {
			return h.cols[i].Name
		}
	}
	return ""
}

func otherKind(k Kind) Kind {
	if k == Organisations {
		return Memberships
	}
	return Organisations
}

func allIn(list, set []string) bool {
	for _, s := range list {
		if !slices.Contains(set, normaliseHeader(s)) {
			return false
		}
	}
	return true
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
