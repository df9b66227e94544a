package region

import "embed"

// Templates are the region home page and the country page.
//
//go:embed templates/*.html
var Templates embed.FS
