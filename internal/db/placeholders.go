package db

import (
	"strconv"
	"strings"
)

// Placeholders returns "$from, $from+1, …" for n values, for IN lists;
// both engines read numbered placeholders.
func Placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(from + i))
	}
	return b.String()
}
