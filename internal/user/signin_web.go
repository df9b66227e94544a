package user

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/i18n"
)

// startSession signs u in on this browser: a new session cookie, and the
// language cookie from the account's preference when it has one.
func startSession(w http.ResponseWriter, r *http.Request, s *Store, u *User) error {
	token, err := s.CreateSession(r.Context(), u.ID)
	if err != nil {
		return err
	}
	SetSessionCookie(w, r, token)
	if u.Locale != "" {
		setLangCookie(w, u.Locale)
	}
	return nil
}

// setLangCookie remembers a language for a year, as the language switcher does.
func setLangCookie(w http.ResponseWriter, lang string) {
	http.SetCookie(w, &http.Cookie{Name: i18n.CookieName, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, HttpOnly: true})
}
