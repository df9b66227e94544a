package i18n_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/i18n"
)

func TestEveryLanguageHasEveryKey(t *testing.T) {
	en := map[string]bool{}
	for _, k := range i18n.Keys("en") {
		en[k] = true
	}
	for _, lang := range i18n.Languages[1:] {
		got := map[string]bool{}
		for _, k := range i18n.Keys(lang) {
			got[k] = true
			if !en[k] {
				t.Errorf("%s has %q, which English lacks", lang, k)
			}
		}
		for k := range en {
			if !got[k] {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
}

func TestTranslationsAreNotEmpty(t *testing.T) {
	for _, lang := range i18n.Languages {
		l := i18n.For(lang)
		for _, k := range i18n.Keys(lang) {
			if strings.TrimSpace(l.T(k)) == "" {
				t.Errorf("%s: %q is empty", lang, k)
			}
		}
	}
}

// keyUse finds message keys in templates ({{.T "key"}}, {{$.T "key"}},
// {{.P.T "key"}}) and in Go code (.T("key")).
var keyUse = regexp.MustCompile(`\.T[ (]"([a-z0-9_]+\.[a-z0-9_.]+)"`)

func TestEveryUsedKeyExists(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasSuffix(path, ".html") && !(strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyUse.FindAllStringSubmatch(string(b), -1) {
			if !i18n.Has(m[1]) {
				t.Errorf("%s uses %q, which no catalogue defines", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPlaceholdersAndFormats(t *testing.T) {
	es := i18n.For("es")
	if got := es.T("common.page_of", "page", 2, "pages", 1500); got != "Página 2 de 1.500" {
		t.Errorf("es page_of = %q", got)
	}
	en := i18n.For("en")
	if got := en.Int(1234567); got != "1,234,567" {
		t.Errorf("en Int = %q", got)
	}
	if got := i18n.For("fr").Float(1234.5, 1); got != "1\u00a0234,5" {
		t.Errorf("fr Float = %q", got)
	}
	if got := i18n.Match("nl-BE,nl;q=0.9,en;q=0.5"); got != "nl" {
		t.Errorf("Match nl-BE = %q", got)
	}
	if got := i18n.Match("de-DE"); got != "en" {
		t.Errorf("Match de-DE = %q, want the English fallback", got)
	}
	if got := en.T("no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key must show itself, got %q", got)
	}
}
