// Package i18n holds the message catalogues (English, Spanish, French and
// Dutch) and formats numbers and dates per locale.
//
// Catalogues are flat JSON objects, one file per domain and language, under
// locales/<lang>/<domain>.json; keys are namespaced by domain ("org.kind.bso").
// A test checks that every language has every key and that every key the
// code and templates use exists.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales
var localeFS embed.FS

// Languages are the supported languages, English first (the fallback).
var Languages = []string{"en", "es", "fr", "nl"}

// LanguageNames are the languages' names in themselves, for the switcher.
var LanguageNames = map[string]string{"en": "English", "es": "Español", "fr": "Français", "nl": "Nederlands"}

var (
	catalogues = map[string]map[string]string{}
	matcher    = language.NewMatcher([]language.Tag{language.English, language.Spanish, language.French, language.Dutch})
)

func init() {
	for _, lang := range Languages {
		catalogues[lang] = map[string]string{}
		files, _ := fs.Glob(localeFS, "locales/"+lang+"/*.json")
		for _, f := range files {
			b, err := localeFS.ReadFile(f)
			if err != nil {
				panic(err)
			}
			var m map[string]string
			if err := json.Unmarshal(b, &m); err != nil {
				panic(fmt.Sprintf("i18n: %s: %v", f, err))
			}
			for k, v := range m {
				if _, dup := catalogues[lang][k]; dup {
					panic(fmt.Sprintf("i18n: key %q defined twice in %s", k, lang))
				}
				catalogues[lang][k] = v
			}
		}
	}
}

// Keys lists every key of a language's catalogue, sorted.
func Keys(lang string) []string {
	keys := make([]string, 0, len(catalogues[lang]))
	for k := range catalogues[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether the English catalogue defines key.
func Has(key string) bool { _, ok := catalogues["en"][key]; return ok }

// CatalogueFiles lists the catalogue files of a language, for tests.
func CatalogueFiles(lang string) []string {
	files, _ := fs.Glob(localeFS, "locales/"+lang+"/*.json")
	for i, f := range files {
		files[i] = path.Base(f)
	}
	return files
}

// Supported reports whether lang is one of the platform's languages.
func Supported(lang string) bool {
	_, ok := catalogues[lang]
	return ok
}

// Match picks the best supported language for an Accept-Language header.
func Match(acceptLanguage string) string {
	tags, _, _ := language.ParseAcceptLanguage(acceptLanguage)
	tag, _, _ := matcher.Match(tags...)
	base, _ := tag.Base()
	if Supported(base.String()) {
		return base.String()
	}
	return "en"
}

// CookieName is the cookie that remembers the chosen language.
const CookieName = "lang"

// FromRequest returns the request's language: the ?lang= parameter, then the
// language cookie, then Accept-Language.
func FromRequest(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); Supported(l) {
		return l
	}
	if c, err := r.Cookie(CookieName); err == nil && Supported(c.Value) {
		return c.Value
	}
	return Match(r.Header.Get("Accept-Language"))
}

// Localizer translates and formats for one language.
type Localizer struct {
	Lang    string
	printer *message.Printer
}

// For returns the localizer of a language (English when unsupported).
func For(lang string) *Localizer {
	if !Supported(lang) {
		lang = "en"
	}
	return &Localizer{Lang: lang, printer: message.NewPrinter(language.Make(lang))}
}

// T translates key, filling {name} placeholders from pairs of arguments:
// T("org.count", "n", 3). A missing key shows itself, so gaps are visible.
func (l *Localizer) T(key string, args ...any) string {
	s, ok := catalogues[l.Lang][key]
	if !ok {
		if s, ok = catalogues["en"][key]; !ok {
			return key
		}
	}
	if len(args) == 0 || !strings.Contains(s, "{") {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		val := args[i+1]
		switch v := val.(type) {
		case int:
			val = l.Int(int64(v))
		case int64:
			val = l.Int(v)
		}
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(val))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Int formats a whole number with the locale's grouping.
func (l *Localizer) Int(n int64) string { return l.printer.Sprintf("%d", n) }

// Float formats a number with the given decimals and the locale's separators.
func (l *Localizer) Float(f float64, decimals int) string {
	return l.printer.Sprintf("%.*f", decimals, f)
}

// Percent formats a share (0.25) as a percentage ("25 %" or "25%").
func (l *Localizer) Percent(share float64, decimals int) string {
	n := l.Float(share*100, decimals)
	if l.Lang == "en" {
		return n + "%"
	}
	return n + "\u00a0%"
}

var monthNames = map[string][]string{
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	"es": {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
	"fr": {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
	"nl": {"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"},
}

// Date formats a day in the locale's order ("3 Feb 2024", "3 feb 2024").
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	m := monthNames[l.Lang][t.Month()-1]
	return fmt.Sprintf("%d %s %d", t.Day(), m, t.Year())
}

// DateTime formats a moment in UTC with the locale's day format.
func (l *Localizer) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	return l.Date(t) + " " + t.Format("15:04") + " UTC"
}
