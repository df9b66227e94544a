package audit

import "embed"

// Templates are the audit log's pages.
//
//go:embed templates/*.html
var Templates embed.FS
