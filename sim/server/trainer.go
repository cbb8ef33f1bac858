package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// The trainer's side of the API. Who may call what is one table, here;
// TestAccessRules checks every row of it, role by role.

const (
	anyone   = "anyone"
	everyone = "signed in" // any role
)

// trainerRoutes adds the account and review endpoints to mux.
func (s *Server) trainerRoutes(mux *router) {
	// anyone
	mux.HandleFunc("GET /api/me", s.whoAmI)
	mux.HandleFunc("POST /api/login", s.login)
	mux.HandleFunc("POST /api/logout", s.logout)
	mux.HandleFunc("POST /api/accept", s.accept)
	// admins
	mux.HandleFunc("GET /api/users", s.need(s.listUsers, sim.Admin))
	mux.HandleFunc("POST /api/users", s.need(s.createUser, sim.Admin))
	mux.HandleFunc("PATCH /api/users/{name}", s.need(s.updateUser, sim.Admin))
	mux.HandleFunc("POST /api/users/{name}/invite", s.need(s.inviteUser, sim.Admin))
	mux.HandleFunc("GET /api/settings", s.need(s.getSettings, sim.Admin))
	mux.HandleFunc("PUT /api/settings", s.need(s.putSettings, sim.Admin))
	// trainers and admins
	mux.HandleFunc("GET /api/teams", s.need(s.listTeams, sim.Admin, sim.Trainer))
	mux.HandleFunc("GET /api/scenarios/{id}/cohort", s.need(s.cohort, sim.Admin, sim.Trainer))
	mux.HandleFunc("GET /api/corrections", s.need(s.corrections, sim.Admin, sim.Trainer)) // trainer_corrections.go
	// everyone signed in, each seeing what their role allows
	mux.HandleFunc("GET /api/calls", s.need(s.listCalls))
	mux.HandleFunc("GET /api/calls/{id}/review", s.need(s.review))
	mux.HandleFunc("POST /api/calls/{id}/comments", s.need(s.addComment))
	mux.HandleFunc("PUT /api/calls/{id}/score", s.need(s.putScore))
	mux.HandleFunc("GET /api/compare", s.need(s.compare))
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, _ *sim.User) {
	users, err := s.store.Users(r.Context())
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	out := make([]me, len(users))
	for i, u := range users {
		out[i] = meOf(u)
	}
	writeJSON(w, http.StatusOK, out)
}

// createUser answers POST /api/users {"name","role","teams"}: the account
// is made without a password, and the answer carries its invite link.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request, by *sim.User) {
	var in struct {
		Name  string   `json:"name"`
		Role  string   `json:"role"`
		Teams []string `json:"teams"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	role, err := sim.ParseRole(in.Role)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	u := &sim.User{Name: in.Name, Role: role, Teams: cleanTeams(in.Teams), Created: s.now()}
	if err := s.store.CreateUser(r.Context(), u); err != nil {
		s.apiError(w, "", err)
		return
	}
	link, err := Invite(r.Context(), s.store, u.Name, baseURL(r), s.now())
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	s.log.Info("user created", "name", u.Name, "role", u.Role, "by", by.Name)
	writeJSON(w, http.StatusCreated, struct {
		User   me     `json:"user"`
		Invite string `json:"invite_url"`
	}{meOf(u), link})
}

// updateUser answers PATCH /api/users/{name} {"role","teams","disabled"}
// (each optional). An admin cannot demote or disable themselves, so a
// server always keeps one.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, by *sim.User) {
	var in struct {
		Role     *string   `json:"role"`
		Teams    *[]string `json:"teams"`
		Disabled *bool     `json:"disabled"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	u, err := s.store.User(r.Context(), r.PathValue("name"))
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	if in.Role != nil {
		if u.Role, err = sim.ParseRole(*in.Role); err != nil {
			s.apiError(w, "", err)
			return
		}
	}
	if in.Teams != nil {
		u.Teams = cleanTeams(*in.Teams)
	}
	if in.Disabled != nil {
		u.Disabled = *in.Disabled
	}
	if u.Name == by.Name && (u.Role != sim.Admin || u.Disabled) {
		writeError(w, http.StatusConflict, "you cannot demote or disable yourself; another admin can")
		return
	}
	if err := s.store.UpdateUser(r.Context(), u); err != nil {
		s.apiError(w, "", err)
		return
	}
	if u.Disabled {
		if err := s.store.DeleteTokens(r.Context(), u.Name, sim.SessionToken); err != nil {
			s.apiError(w, "", err)
			return
		}
	}
	s.log.Info("user changed", "name", u.Name, "role", u.Role, "disabled", u.Disabled, "by", by.Name)
	writeJSON(w, http.StatusOK, meOf(u))
}

// inviteUser answers POST /api/users/{name}/invite with a new link to set
// a password (a forgotten one, say).
func (s *Server) inviteUser(w http.ResponseWriter, r *http.Request, _ *sim.User) {
	u, err := s.store.User(r.Context(), r.PathValue("name"))
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	link, err := Invite(r.Context(), s.store, u.Name, baseURL(r), s.now())
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"invite_url": link})
}

func (s *Server) getSettings(w http.ResponseWriter, r *http.Request, _ *sim.User) {
	set, err := s.store.Settings(r.Context())
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	writeJSON(w, http.StatusOK, set)
}

func (s *Server) putSettings(w http.ResponseWriter, r *http.Request, by *sim.User) {
	var in sim.Settings
	if !readJSON(w, r, &in) {
		return
	}
	if err := s.store.PutSettings(r.Context(), in); err != nil {
		s.apiError(w, "", err)
		return
	}
	s.log.Info("settings changed", "anonymous_practice", in.AnonymousPractice, "by", by.Name)
	writeJSON(w, http.StatusOK, in)
}

// team is a team as GET /api/teams shows it.
type team struct {
	Name     string   `json:"name"`
	Trainees []string `json:"trainees"`
	Trainers []string `json:"trainers"`
}

// listTeams answers GET /api/teams: every team for an admin, a trainer's
// own teams for a trainer.
func (s *Server) listTeams(w http.ResponseWriter, r *http.Request, v *sim.User) {
	users, err := s.store.Users(r.Context())
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	byName := map[string]*team{}
	for _, u := range users {
		for _, t := range u.Teams {
			if v.Role != sim.Admin && !v.InTeam(t) {
				continue
			}
			tm := byName[t]
			if tm == nil {
				tm = &team{Name: t, Trainees: []string{}, Trainers: []string{}}
				byName[t] = tm
			}
			if u.Role == sim.Trainer {
				tm.Trainers = append(tm.Trainers, u.Name)
			} else {
				tm.Trainees = append(tm.Trainees, u.Name)
			}
		}
	}
	out := []team{}
	for _, tm := range byName {
		out = append(out, *tm)
	}
	slices.SortFunc(out, func(a, b team) int { return strings.Compare(a.Name, b.Name) })
	writeJSON(w, http.StatusOK, out)
}

// cleanTeams trims the team names typed in a form and drops empty ones.
func cleanTeams(in []string) []string {
	out := []string{}
	for _, t := range in {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// baseURL is the server's address as the request reached it, for links.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
