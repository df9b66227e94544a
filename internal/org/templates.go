package org

import "embed"

// Templates are the organisation pages: list, form and profile.
//
//go:embed templates/*.html
var Templates embed.FS
