package implementation

import "embed"

// Templates are the implementation pages.
//
//go:embed templates/*.html
var Templates embed.FS
