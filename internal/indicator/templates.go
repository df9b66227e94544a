package indicator

import "embed"

// Templates are the indicator pages: list, reference sheet, form and targets.
//
//go:embed templates/*.html
var Templates embed.FS
