package plan

import "embed"

// Templates are the plan pages.
//
//go:embed templates/*.html
var Templates embed.FS
