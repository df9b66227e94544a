package geo

import (
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
)

// Country names, area types, languages and currencies are translated in the
// geo catalogues (geo.country.jam, geo.area_type.parish, geo.language.fr,
// geo.currency.jmd). A code the catalogue does not know is shown as the
// stored text, never as a raw message key.

// CountryLabel is a country's name in the localizer's language; fallback
// (the stored English name) is used for a country the catalogue lacks.
func CountryLabel(loc *i18n.Localizer, iso3, fallback string) string {
	return label(loc, "geo.country.", iso3, fallback)
}

// AreaTypeLabel names a kind of area (parish, province…) in the localizer's language.
func AreaTypeLabel(loc *i18n.Localizer, typ string) string {
	return label(loc, "geo.area_type.", strings.ReplaceAll(typ, " ", "_"), typ)
}

// LanguageLabel names a language (ISO 639-1 code) in the localizer's language.
func LanguageLabel(loc *i18n.Localizer, code string) string {
	return label(loc, "geo.language.", code, code)
}

// CurrencyLabel names a currency (ISO 4217 code) in the localizer's language.
func CurrencyLabel(loc *i18n.Localizer, code string) string {
	return label(loc, "geo.currency.", code, code)
}

func label(loc *i18n.Localizer, prefix, code, fallback string) string {
	key := prefix + strings.ToLower(code)
	if code == "" || !i18n.Has(key) {
		return fallback
	}
	return loc.T(key)
}
