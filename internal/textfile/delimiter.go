// Package textfile holds what every reader of people's spreadsheet exports
// needs to agree on, so that an organisation list, an employment dataset and
// a definition set saved the same way are read the same way.
package textfile

// DelimiterNames maps the delimiters DetectDelimiter finds to the names
// reports use.
var DelimiterNames = map[rune]string{',': "comma", ';': "semicolon", '\t': "tab"}

// DetectDelimiter picks the delimiter of a CSV file from its first line:
// the one of comma, semicolon and tab that occurs most often outside
// quotes. Spreadsheets in much of Europe and Latin America save CSV with
// semicolons, and column names never contain any of the three, so the
// header decides; a tie (a one-column file) means comma.
func DetectDelimiter(firstLine string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range firstLine {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ',' || r == ';' || r == '\t'):
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}
