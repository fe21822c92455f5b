package auth

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/web"
)

// sessionCookie carries a browser's session secret; the session's CSRF token
// must come back in the csrfHeader of every API request made with the cookie.
// Over HTTPS the cookie is hostCookie: browsers only take a cookie of that
// prefix when it is Secure, for the whole site and set by this very host, so
// that neither a sibling subdomain nor a plain-HTTP page can plant a session
// of its own choosing in the browser.
const (
	sessionCookie = "parvis_session"
	hostCookie    = "__Host-" + sessionCookie
	csrfHeader    = "X-CSRF-Token"
)

type sessionInfo struct {
	Name string `json:"name"`
	Role string `json:"role"`
	CSRF string `json:"csrf"`
	// Tenant is the territory the person sees; empty: the whole platform.
	Tenant string `json:"tenant,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// SessionHandler serves /auth/login, /auth/session and /auth/logout: the
// dashboards' sign-in with a local account. Attempts are rate-limited per
// address, and wrong passwords per login, whatever the address: guesses
// spread over many addresses (a botnet) are bounded too. POST
// /auth/logout?everywhere=1 ends every session of the account, for someone
// who has lost a device.
func (a Authenticator) SessionHandler() http.Handler {
	limiter := web.NewLimiter(30) // a person mistyping is fine; guessing is not
	// Ten wrong passwords at once, then one every six seconds: a person who
	// forgot theirs waits a little, a guesser gets ten a minute at most.
	wrong := web.NewBurstLimiter(10, 10)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, r *http.Request) {
		// A form on another site may post text/plain without asking us first,
		// and so sign a browser in to the account of the form's author (login
		// CSRF); JSON can only come from a script of this site.
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{"error": "Format refusé : la connexion s'envoie en JSON (Content-Type: application/json)."})
			return
		}
		if !limiter.Allow(web.ClientAddr(r.Context())) {
			writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "Trop de tentatives : patientez une minute."})
			return
		}
		var in struct{ Login, Password string }
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&in); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Requête illisible."})
			return
		}
		login := strings.ToLower(strings.TrimSpace(in.Login))
		if wrong.Exhausted(login) {
			writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "Trop de mots de passe erronés pour cet identifiant : patientez une minute."})
			return
		}
		s, err := a.Accounts.SignIn(r.Context(), in.Login, in.Password, deviceOf(r))
		if errors.Is(err, ErrBadCredentials) {
			wrong.Allow(login)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Identifiant ou mot de passe incorrect."})
			return
		} else if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "Erreur interne : réessayez."})
			return
		}
		setSessionCookie(w, r, s)
		writeJSON(w, http.StatusOK, sessionInfo{Name: s.Name, Role: string(s.Role), CSRF: s.CSRF, Tenant: s.Tenant})
	})
	mux.HandleFunc("GET /auth/config", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]bool{"oidc": a.OIDC})
	})
	mux.HandleFunc("GET /auth/session", func(w http.ResponseWriter, r *http.Request) {
		s, ok := a.session(r)
		if !ok {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Non connecté."})
			return
		}
		writeJSON(w, http.StatusOK, sessionInfo{Name: s.Name, Role: string(s.Role), CSRF: s.CSRF, Tenant: s.Tenant})
	})
	mux.HandleFunc("POST /auth/logout", func(w http.ResponseWriter, r *http.Request) {
		if s, ok := a.session(r); ok && sameSecret(r.Header.Get(csrfHeader), s.CSRF) {
			var err error
			if r.URL.Query().Get("everywhere") != "" {
				_, err = a.Accounts.SignOutEverywhere(r.Context(), s.AccountID, s.Name)
			} else {
				err = a.Accounts.SignOut(r.Context(), s.Secret)
			}
			if err != nil {
				// The session lives on: the browser keeps its cookie, and the
				// person learns it.
				writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "Déconnexion impossible pour le moment : réessayez."})
				return
			}
		}
		http.SetCookie(w, &http.Cookie{Name: cookieName(r), Value: "", Path: "/", HttpOnly: true,
			Secure: web.OverHTTPS(r), SameSite: http.SameSiteStrictMode, MaxAge: -1})
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// cookieName is the name of the session cookie on a request's scheme.
func cookieName(r *http.Request) string {
	if web.OverHTTPS(r) {
		return hostCookie
	}
	return sessionCookie
}

// setSessionCookie gives the browser its session: HttpOnly, SameSite=Strict,
// Secure and __Host- over HTTPS, kept until the session's end at the latest.
func setSessionCookie(w http.ResponseWriter, r *http.Request, s Session) {
	http.SetCookie(w, &http.Cookie{Name: cookieName(r), Value: s.Secret, Path: "/", HttpOnly: true,
		Secure: web.OverHTTPS(r), SameSite: http.SameSiteStrictMode, MaxAge: int(time.Until(s.Ends).Seconds())})
}

// deviceOf describes the browser of a sign-in, for the list of sessions.
func deviceOf(r *http.Request) Device {
	ua := r.UserAgent()
	if len(ua) > 200 {
		ua = strings.ToValidUTF8(ua[:200], "")
	}
	return Device{Address: network(web.ClientAddr(r.Context())), UserAgent: ua}
}

// network returns the network of a client's address (IPv4 /24, IPv6 /48): the
// session events keep it on the audit log, which is kept for ever, and a
// network tells an administrator « the town hall » or « at home » without
// keeping where exactly a person connected from. Anything else is kept as it
// is (a Unix socket's name).
func network(addr string) string {
	if a, err := netip.ParseAddr(addr); err == nil {
		return netip.PrefixFrom(a, min(a.BitLen(), 24)).Masked().String()
	}
	if p, err := netip.ParsePrefix(addr); err == nil && p.Addr().Is6() {
		return netip.PrefixFrom(p.Addr(), min(p.Bits(), 48)).Masked().String()
	}
	return addr
}

func (a Authenticator) session(r *http.Request) (Session, bool) {
	if a.Accounts == nil {
		return Session{}, false
	}
	c, err := r.Cookie(cookieName(r))
	if err != nil || c.Value == "" {
		return Session{}, false
	}
	return a.Accounts.Session(c.Value)
}

// fromSession returns the principal of a request signed in with a cookie, when
// it carries the session's CSRF token.
func (a Authenticator) fromSession(r *http.Request) (Principal, bool) {
	s, ok := a.session(r)
	if !ok || !sameSecret(r.Header.Get(csrfHeader), s.CSRF) {
		return Principal{}, false
	}
	return Principal{Name: s.Name, Role: s.Role, Tenant: s.Tenant, Services: a.Accounts.servicesOf(s.AccountID)}, true
}
