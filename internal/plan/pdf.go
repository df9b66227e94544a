package plan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"mime"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// browserNames are the headless browsers looked for on PATH, in order.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome"}

// Printer turns the printable plan page into a PDF with a headless Chromium.
// A nil Printer, or one without a browser, makes no PDFs.
type Printer struct {
	browser string
	timeout time.Duration
	slots   chan struct{} // at most cap(slots) browsers run at once
}

// NewPrinter finds the browser to print with: configured is a path or a
// command name, "none" turns PDFs off, and empty looks for chromium,
// chromium-browser or google-chrome on PATH. A configured browser that
// cannot be found is an error; none found on PATH is not.
func NewPrinter(configured string) (*Printer, error) {
	p := &Printer{timeout: 30 * time.Second, slots: make(chan struct{}, 2)}
	switch configured {
	case "none":
		return p, nil
	case "":
		for _, name := range browserNames {
			if path, err := exec.LookPath(name); err == nil {
				p.browser = path
				break
			}
		}
		return p, nil
	}
	path, err := exec.LookPath(configured)
	if err != nil {
		return nil, fmt.Errorf("browser for PDFs: %w", err)
	}
	p.browser = path
	return p, nil
}

// Browser is the path of the browser in use, empty when PDFs are off.
func (p *Printer) Browser() string {
	if p == nil {
		return ""
	}
	return p.browser
}

// Available reports whether PDFs can be made.
func (p *Printer) Available() bool { return p.Browser() != "" }

// WithPrinter returns a copy of the store whose plan pages offer PDFs made
// by pr.
func (s *Store) WithPrinter(pr *Printer) *Store {
	c := *s
	c.printer = pr
	return &c
}

// HandlePDF serves the printable page of a plan (or ?version=N) as a PDF,
// to the people who may read that page.
func HandlePDF(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.printer.Available() {
			rd.Error(w, r, problem.NotFoundf("%s", web.Localizer(r).T("planpdf.no_browser")))
			return
		}
		id, n, err := readTarget(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d, err := s.showData(r, id, n)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		// The printable page itself; anything but a page goes out as it is.
		page := &capture{header: http.Header{}}
		s.renderShow(page, r, rd, id, n, "plan/print", nil, "")
		if page.status != http.StatusOK {
			page.copyTo(w)
			return
		}
		pdf, err := s.printer.print(r.Context(), selfContained(page.body.Bytes()))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		title := d.P.Title
		if d.Past {
			title += " " + web.Localizer(r).T("plan.version_n", "n", d.Version)
		}
		h := w.Header()
		h.Set("Content-Type", "application/pdf")
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": pdfName(title)}))
		h.Set("Cache-Control", "private, no-store")
		w.Write(pdf)
	})
}

// print runs the browser on a page and returns the PDF it writes, in a
// private temporary folder removed afterwards.
func (p *Printer) print(ctx context.Context, page []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return nil, fmt.Errorf("plan PDF: waiting for a free browser: %w", ctx.Err())
	}
	dir, err := os.MkdirTemp("", "observatory-plan-pdf-")
	if err != nil {
		return nil, fmt.Errorf("plan PDF: %w", err)
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "plan.html"), filepath.Join(dir, "plan.pdf")
	if err := os.WriteFile(in, page, 0o600); err != nil {
		return nil, fmt.Errorf("plan PDF: %w", err)
	}
	cmd := exec.CommandContext(ctx, p.browser, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--no-first-run",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--print-to-pdf="+out, "--no-pdf-header-footer",
		(&url.URL{Scheme: "file", Path: in}).String())
	// The browser keeps its profile, cache and crash reports in the folder.
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_CACHE_HOME="+dir)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, fmt.Errorf("plan PDF: %s: %w: %.2000s", p.browser, err, stderr.String())
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("plan PDF: no file written: %w: %.2000s", err, stderr.String())
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, errors.New("plan PDF: the browser wrote something other than a PDF")
	}
	return pdf, nil
}

var (
	stylesheetTag = regexp.MustCompile(`<link rel="stylesheet" href="([^"]*)">`)
	otherAssetTag = regexp.MustCompile(`<script src="[^"]*"[^>]*></script>|<link rel="icon"[^>]*>`)
)

// selfContained puts the stylesheets of a page inside it and drops its
// scripts and icon, so the browser printing it fetches nothing; a content
// security policy forbids any fetch that remains.
func selfContained(page []byte) []byte {
	page = otherAssetTag.ReplaceAll(page, nil)
	page = stylesheetTag.ReplaceAllFunc(page, func(tag []byte) []byte {
		href := html.UnescapeString(string(stylesheetTag.FindSubmatch(tag)[1]))
		css := staticAsset(href)
		css = bytes.ReplaceAll(css, []byte("</"), []byte(`<\/`))
		return append(append([]byte("<style>"), css...), "</style>"...)
	})
	csp := []byte(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:">`)
	at := []byte(`<meta charset="utf-8">`)
	if !bytes.Contains(page, at) {
		at = []byte("<head>")
	}
	return bytes.Replace(page, at, append(append(bytes.Clone(at), '\n'), csp...), 1)
}

// staticAsset is the body of one of the embedded static files, empty for
// an address that is not one.
func staticAsset(href string) []byte {
	u, err := url.Parse(href)
	if err != nil || !strings.HasPrefix(u.Path, "/static/") {
		return nil
	}
	c := &capture{header: http.Header{}}
	web.Static().ServeHTTP(c, &http.Request{Method: http.MethodGet, URL: &url.URL{Path: u.Path}, Header: http.Header{}})
	if c.status != http.StatusOK {
		return nil
	}
	return c.body.Bytes()
}

// pdfName is the file name of a plan's PDF: its title, without characters
// file systems refuse.
func pdfName(title string) string {
	name := strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '-'
		}
		return r
	}, strings.TrimSpace(title))
	if name == "" {
		name = "plan"
	}
	return name + ".pdf"
}

// capture is a response kept in memory.
type capture struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *capture) Header() http.Header { return c.header }

func (c *capture) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

func (c *capture) Write(b []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	return c.body.Write(b)
}

// copyTo sends the kept response as it is.
func (c *capture) copyTo(w http.ResponseWriter) {
	for k, v := range c.header {
		w.Header()[k] = v
	}
	w.WriteHeader(c.status)
	w.Write(c.body.Bytes())
}
