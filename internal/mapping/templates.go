package mapping

import "embed"

// Templates are the cluster mapping pages: the explorer and the definition
// sets.
//
//go:embed templates/*.html
var Templates embed.FS
