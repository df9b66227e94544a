package form

import "embed"

// Templates are the form pages: list, upload, form and version, mappings.
//
//go:embed templates/*.html
var Templates embed.FS
