package event

import "embed"

// Templates are the event pages: list, form, profile and attendance upload.
//
//go:embed templates/*.html
var Templates embed.FS
