package user

import "embed"

// Templates are the account pages.
//
//go:embed templates/*.html
var Templates embed.FS
