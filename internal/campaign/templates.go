package campaign

import "embed"

// Templates are the campaign pages: list, new, campaign with response
// tracking, links, submissions, submission, edit, and the respondent's
// answering, thank-you and link-gone pages.
//
//go:embed templates/*.html
var Templates embed.FS
