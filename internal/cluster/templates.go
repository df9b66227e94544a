package cluster

import "embed"

// Templates are the cluster pages: list, form and profile.
//
//go:embed templates/*.html
var Templates embed.FS
