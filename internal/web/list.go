package web

import (
	"net/http"
	"strconv"
	"strings"
)

// ListParams are the paging and sorting parameters every list page and API
// list accepts: ?q=&sort=&page=&per_page= (the API also takes limit/offset).
type ListParams struct {
	Query   string
	Sort    string // a column name, "-" prefix for descending
	Page    int
	PerPage int
}

// Offset is the row offset of the page.
func (p ListParams) Offset() int { return (p.Page - 1) * p.PerPage }

// Pages is the number of pages for a total.
func (p ListParams) Pages(total int) int {
	if total == 0 {
		return 1
	}
	return (total + p.PerPage - 1) / p.PerPage
}

// SortKey returns the sort column without its direction, and whether it is descending.
func (p ListParams) SortKey() (string, bool) {
	return strings.TrimPrefix(p.Sort, "-"), strings.HasPrefix(p.Sort, "-")
}

// ParseList reads list parameters with a default sort and page size;
// per_page is capped at 500.
func ParseList(r *http.Request, defaultSort string, defaultPerPage int) ListParams {
	q := r.URL.Query()
	p := ListParams{Query: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"), Page: 1, PerPage: defaultPerPage}
	if p.Sort == "" {
		p.Sort = defaultSort
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 {
		p.Page = n
	}
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil && n > 0 {
		p.PerPage = min(n, 500)
	}
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 {
		p.PerPage = min(n, 500)
		if o, err := strconv.Atoi(q.Get("offset")); err == nil && o >= 0 {
			p.Page = o/p.PerPage + 1
		}
	}
	return p
}

// ListResponse is the JSON shape of every API list.
type ListResponse[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// NewListResponse builds a list response, never with a null items array.
func NewListResponse[T any](items []T, total int, p ListParams) ListResponse[T] {
	if items == nil {
		items = []T{}
	}
	return ListResponse[T]{Items: items, Total: total, Page: p.Page, PerPage: p.PerPage}
}

// SortHeader describes one sortable column for templates: its link and the
// aria-sort state.
type SortHeader struct {
	Key   string
	Label string
	URL   string
	Aria  string // "ascending", "descending" or ""
}

// SortHeaders builds the headers of a sortable table from (key, label) pairs.
func SortHeaders(p *Page, current string, pairs ...string) []SortHeader {
	cur, desc := strings.TrimPrefix(current, "-"), strings.HasPrefix(current, "-")
	var out []SortHeader
	for i := 0; i+1 < len(pairs); i += 2 {
		h := SortHeader{Key: pairs[i], Label: pairs[i+1]}
		next := h.Key
		if h.Key == cur {
			if desc {
				h.Aria = "descending"
			} else {
				h.Aria = "ascending"
				next = "-" + h.Key
			}
		}
		h.URL = p.WithQuery("sort", next, "page", "")
		out = append(out, h)
	}
	return out
}
