package mapping

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// DefinitionColumns are the columns of a definitions file, in the order
// downloads write them. The first four are required; the sub-cluster
// columns are optional. Names are matched ignoring case, in any order.
var DefinitionColumns = []string{"cluster_code", "cluster_name", "type", "industry", "subcluster_code", "subcluster_name"}

// Limits of a definitions file.
const (
	// MaxDefinitionBytes bounds an uploaded definitions file: a set has at
	// most a few thousand rows.
	MaxDefinitionBytes = 8 << 20
	maxDefinitionRows  = 50_000
	maxDefinitionCell  = 500
	maxFileProblems    = 1000
)

// DefinitionFile is a parsed definitions file: the set, and the row each
// cluster and industry came from, so that problems found later (codes
// unknown to the classification) can name the row.
type DefinitionFile struct {
	Set     *DefinitionSet
	File    string
	Sheet   string
	Rows    int // data rows read
	cluster map[string]int
	code    map[string]int
}

// ParseDefinitionsCSV reads a comma-separated definitions file (UTF-8, with
// or without a byte-order mark) with the columns cluster_code, cluster_name,
// type (traded or local) and industry, and optionally subcluster_code and
// subcluster_name. Every problem is returned together, located by file,
// row (the header is row 1) and column.
func ParseDefinitionsCSV(r io.Reader, file, classification string) (*DefinitionSet, error) {
	data, err := readLimited(r, file)
	if err != nil {
		return nil, err
	}
	df, err := readDefinitionsCSV(data, file, classification)
	if err != nil {
		return nil, err
	}
	return df.Set, nil
}

// ReadDefinitionFile reads a definitions file in CSV or, when it is a zip
// archive, Excel (first sheet).
func ReadDefinitionFile(r io.Reader, file, classification string) (*DefinitionFile, error) {
	data, err := readLimited(r, file)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return readDefinitionsXLSX(data, file, classification)
	}
	return readDefinitionsCSV(data, file, classification)
}

func readLimited(r io.Reader, file string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDefinitionBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxDefinitionBytes {
		return nil, fileProblem(file, 0, "", "The file is larger than %d MB; a definition set needs far less.", MaxDefinitionBytes>>20)
	}
	return data, nil
}

func readDefinitionsCSV(data []byte, file, classification string) (*DefinitionFile, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return nil, fileProblem(file, 0, "", "The file is in UTF-16; save it as CSV UTF-8.")
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fileProblem(file, 0, "", "The file is empty; it needs a header row and one row per industry.")
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalidUTF8(data)], []byte{'\n'})
		return nil, fileProblem(file, line, "", "Line %d is not UTF-8 text; save the file as CSV UTF-8.", line)
	}
	head, _, _ := bytes.Cut(data, []byte{'\n'})
	if !bytes.ContainsRune(head, ',') {
		for _, d := range []struct{ sep, name string }{{";", "semicolons"}, {"\t", "tabs"}} {
			if bytes.Contains(head, []byte(d.sep)) {
				return nil, fileProblem(file, 1, "", "The columns are separated by %s; save the file with commas between columns.", d.name)
			}
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	p := newDefinitionParser(file, "", classification)
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fileProblem(file, row, "", "The row cannot be read as CSV (%v); check its quotes.", pe.Err)
			}
			return nil, err
		}
		if !p.add(row, rec) {
			break
		}
	}
	return p.finish()
}

// firstInvalidUTF8 is the offset of the first byte that is not UTF-8.
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// fileProblem is an invalid-input problem at one place of a file.
func fileProblem(file string, row int, field, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &problem.Error{Kind: problem.Invalid, Message: "The file cannot be read: " + msg,
		Details: []problem.Detail{{File: file, Row: row, Field: field, Message: msg}}}
}

// Locate turns a problem about the set's fields (clusters[i].industries[j]
// and the like, as SaveDefinitionSet reports them) into problems located at
// the file's rows and columns. Other problems pass unchanged.
func (f *DefinitionFile) Locate(err error) error {
	p := problem.As(err)
	if p == nil || len(p.Details) == 0 {
		return err
	}
	out := *p
	out.Details = make([]problem.Detail, len(p.Details))
	for i, d := range p.Details {
		out.Details[i] = d
		var ci, ii int
		var rest string
		if n, _ := fmt.Sscanf(d.Field, "clusters[%d].industries[%d]", &ci, &ii); n == 2 && ci < len(f.Set.Clusters) && ii < len(f.Set.Clusters[ci].Industries) {
			out.Details[i] = problem.Detail{File: f.File, Sheet: f.Sheet, Row: f.code[f.Set.Clusters[ci].Industries[ii]], Field: "industry", Message: d.Message}
			continue
		}
		if n, _ := fmt.Sscanf(d.Field, "clusters[%d].%s", &ci, &rest); n == 2 && ci < len(f.Set.Clusters) {
			column := "cluster_" + strings.SplitN(rest, ".", 2)[0]
			if strings.HasPrefix(rest, "subclusters") {
				column = "subcluster_code"
			} else if rest == "type" {
				column = "type"
			}
			out.Details[i] = problem.Detail{File: f.File, Sheet: f.Sheet, Row: f.cluster[f.Set.Clusters[ci].Code], Field: column, Message: d.Message}
		}
	}
	return &out
}
