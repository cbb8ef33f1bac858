package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

// Scenarios managed in the page, by trainers and admins: check a persona's
// TOML as it is written, upload it as a new version, publish a version to
// trainees (or none), remove one uploaded by mistake, read any version's
// source and state graph, and replay a call's lines on another version
// (scenarios_replay.go). Who may call what is in scenarioRoutes;
// TestAccessRules checks every row.

// maxSourceBody bounds a request carrying a scenario's TOML: the bundled
// personas are about 16 KiB.
const maxSourceBody = 512 << 10

func (s *Server) scenarioRoutes(mux *router) {
	staff := []sim.Role{sim.Admin, sim.Trainer}
	mux.HandleFunc("GET /api/authoring", s.need(s.authoring, staff...))
	mux.HandleFunc("POST /api/authoring/check", s.need(s.checkScenario, staff...))
	mux.HandleFunc("POST /api/scenarios", s.need(s.uploadScenario, staff...))
	mux.HandleFunc("GET /api/scenarios/{id}/source", s.need(s.scenarioSource, staff...))
	mux.HandleFunc("PUT /api/scenarios/{id}/published", s.need(s.publishScenario, staff...))
	mux.HandleFunc("DELETE /api/scenarios/{id}", s.need(s.removeScenario, staff...))
	mux.HandleFunc("POST /api/scenarios/{id}/replay", s.need(s.replayScenario, staff...))
}

// sourceIn is a scenario as the editor sends it: its TOML and a file name
// (which names the problems, and is the id when the file sets none).
type sourceIn struct {
	Name   string `json:"name"`
	Source string `json:"source"`
}

// fileName is the name an uploaded file is known by: its base name, a
// .toml file, "scenario.toml" when none is given.
func fileName(name string) string {
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	if name == "." || name == "/" || name == "" || len(name) > 100 || strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return "scenario.toml"
	}
	if !strings.HasSuffix(name, ".toml") {
		name += ".toml"
	}
	return name
}

// compile loads src as the check command does: the scenario, or nil and
// every problem; with the warnings of what loads but may not play as meant.
func (s *Server) compile(in sourceIn) (*sim.Scenario, []problem, error) {
	sc, err := scenario.Load(fileName(in.Name), []byte(in.Source))
	var ds scenario.Diagnostics
	if errors.As(err, &ds) {
		return nil, problemsOf(ds), nil
	}
	if err != nil {
		return nil, nil, err
	}
	return sc, problemsOf(scenario.Lint(sc, s.reader)), nil
}

// graphOf is sc's state graph for Mermaid, "" if it cannot be drawn.
func (s *Server) graphOf(sc *sim.Scenario) string {
	g, err := sc.Graph("mermaid")
	if err != nil {
		s.log.Warn("draw scenario graph", "scenario", sc.ID, "err", err)
		return ""
	}
	return g
}

// checked is what the editor learns of a source: the problems at their
// line and column, and for one that loads its id, title, version and graph.
type checked struct {
	OK       bool      `json:"ok"`
	ID       string    `json:"id,omitempty"`
	Title    string    `json:"title,omitempty"`
	Version  string    `json:"version,omitempty"`
	Graph    string    `json:"graph,omitempty"`
	Problems []problem `json:"problems"`
}

func (s *Server) checkedOf(sc *sim.Scenario, probs []problem) checked {
	out := checked{OK: sc != nil, Problems: probs}
	if sc != nil {
		out.ID, out.Title, out.Version, out.Graph = sc.ID, sc.Title, sc.Hash, s.graphOf(sc)
	}
	return out
}

// checkScenario answers POST /api/authoring/check {"name","source"}:
// the problems, nothing stored.
func (s *Server) checkScenario(w http.ResponseWriter, r *http.Request, _ *sim.User) {
	var in sourceIn
	if !readJSONUpTo(w, r, &in, maxSourceBody) {
		return
	}
	sc, probs, err := s.compile(in)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	writeJSON(w, http.StatusOK, s.checkedOf(sc, probs))
}

// uploadScenario answers POST /api/scenarios {"name","source"}: a source
// that loads becomes the scenario's newest version, a draft until
// published (201); one that does not is refused with every problem (400).
func (s *Server) uploadScenario(w http.ResponseWriter, r *http.Request, v *sim.User) {
	var in sourceIn
	if !readJSONUpTo(w, r, &in, maxSourceBody) {
		return
	}
	sc, probs, err := s.compile(in)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	if sc == nil {
		msg := fmt.Sprintf("the scenario has %d problems; nothing was stored", len(probs))
		if len(probs) == 1 {
			msg = "the scenario has a problem; nothing was stored"
		}
		writeJSON(w, http.StatusBadRequest, struct {
			Error    string    `json:"error"`
			Problems []problem `json:"problems"`
		}{msg, probs})
		return
	}
	c := s.scenarios
	c.edits.Lock() // the store and the catalog change in the same order
	defer c.edits.Unlock()
	if err := s.store.PutScenarioVersion(r.Context(), sc.Version()); err != nil {
		s.apiError(w, "", err)
		return
	}
	u, err := s.store.AddUpload(r.Context(), sim.Upload{Scenario: sc.ID, Hash: sc.Hash, By: v.Name, At: s.now()})
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	c.addUpload(sc, u)
	s.log.Info("scenario uploaded", "scenario", sc.ID, "version", short(sc.Hash), "upload", u.N, "by", v.Name)
	writeJSON(w, http.StatusCreated, struct {
		checked
		N int `json:"n"`
	}{s.checkedOf(sc, probs), u.N})
}

// short is the start of a hash, as people read it.
func short(hash string) string { return hash[:min(12, len(hash))] }

// authoredScenario is one scenario as the authoring page lists it.
type authoredScenario struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// File is the file that provides it, "" for one only uploaded.
	File string `json:"file,omitempty"`
	// Serving is the version trainees get ("" for a draft), Published the
	// published upload ("" when none is: the file's version is served).
	Serving   string       `json:"serving"`
	Published string       `json:"published"`
	Uploads   []uploadView `json:"uploads"`
}

type uploadView struct {
	N       int       `json:"n"`
	Version string    `json:"version"`
	Title   string    `json:"title"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

func authoredOf(set *scenarioSet, id string) authoredScenario {
	a := authoredScenario{ID: id, Uploads: []uploadView{}}
	if sc := set.anyVersion(id); sc != nil {
		a.Title = sc.Title
	}
	if f := set.files[id]; f != nil {
		a.File = f.File
	}
	if sc := set.serving[id]; sc != nil {
		a.Serving = sc.Hash
	}
	rec := set.uploads[id]
	a.Published = rec.Published
	for _, u := range rec.Uploads {
		uv := uploadView{N: u.N, Version: u.Hash, By: u.By, At: u.At}
		if sc := set.byHash[u.Hash]; sc != nil {
			uv.Title = sc.Title
		}
		a.Uploads = append(a.Uploads, uv)
	}
	return a
}

// authoring answers GET /api/authoring: every scenario with its versions
// and which one trainees get, and the problems of the scenario files at
// their last reload (a broken file keeps its last good version serving).
func (s *Server) authoring(w http.ResponseWriter, r *http.Request, _ *sim.User) {
	set := s.scenarios.set()
	out := struct {
		Scenarios []authoredScenario `json:"scenarios"`
		Problems  []problem          `json:"problems"`
	}{Scenarios: []authoredScenario{}, Problems: set.problems}
	if out.Problems == nil {
		out.Problems = []problem{}
	}
	for _, l := range set.listed(&sim.User{Role: sim.Admin}) {
		out.Scenarios = append(out.Scenarios, authoredOf(set, l.sc.ID))
	}
	writeJSON(w, http.StatusOK, out)
}

// versionOf is version hash of scenario id ("" the one a trainer means by
// id: the one trainees get, else the newest draft), loaded or read from
// the store; ENotFound when id has no such version.
func (s *Server) versionOf(ctx context.Context, id, hash string) (*sim.Scenario, error) {
	set := s.scenarios.set()
	if hash == "" {
		if sc := set.anyVersion(id); sc != nil {
			return sc, nil
		}
		return nil, sim.Errorf(sim.ENotFound, "no scenario %q", id)
	}
	if sc := set.byHash[hash]; sc != nil && sc.ID == id {
		return sc, nil
	}
	v, err := s.store.ScenarioVersion(ctx, hash)
	if sim.ErrorCodeOf(err) == sim.ENotFound || err == nil && v.ID != id {
		return nil, sim.Errorf(sim.ENotFound, "scenario %q has no version %s", id, short(hash))
	} else if err != nil {
		return nil, err
	}
	return scenario.LoadVersion(v)
}

// scenarioSource answers GET /api/scenarios/{id}/source[?version=HASH]:
// the TOML of a version (by default the one trainees get, else the newest
// draft), its state graph and warnings, to edit it.
func (s *Server) scenarioSource(w http.ResponseWriter, r *http.Request, _ *sim.User) {
	id := r.PathValue("id")
	sc, err := s.versionOf(r.Context(), id, r.URL.Query().Get("version"))
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	set := s.scenarios.set()
	writeJSON(w, http.StatusOK, struct {
		checked
		File      string `json:"file"`
		Source    string `json:"source"`
		Serving   bool   `json:"serving"`
		Published bool   `json:"published"`
	}{
		checked: s.checkedOf(sc, problemsOf(scenario.Lint(sc, s.reader))),
		File:    path.Base(sc.File), Source: sc.Source,
		Serving: set.serving[id] == sc, Published: set.uploads[id].Published == sc.Hash,
	})
}

// publishScenario answers PUT /api/scenarios/{id}/published {"version"}:
// that upload is what trainees get from now on; "" unpublishes, and
// trainees get the file's version again, or nothing. Calls in progress
// stay on the version they started on.
func (s *Server) publishScenario(w http.ResponseWriter, r *http.Request, v *sim.User) {
	var in struct {
		Version string `json:"version"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	id := r.PathValue("id")
	c := s.scenarios
	c.edits.Lock()
	defer c.edits.Unlock()
	if in.Version != "" && c.set().byHash[in.Version] == nil {
		if _, ok := c.set().uploads[id]; ok {
			writeError(w, http.StatusConflict, "this version does not load on this server; upload it again")
			return
		}
	}
	if err := s.store.Publish(r.Context(), id, in.Version); err != nil {
		s.apiError(w, "", err)
		return
	}
	c.publish(id, in.Version)
	s.log.Info("scenario published", "scenario", id, "version", short(in.Version), "by", v.Name)
	writeJSON(w, http.StatusOK, authoredOf(c.set(), id))
}

// removeScenario answers DELETE /api/scenarios/{id}: every upload of the
// scenario is removed (204), and it leaves the authoring page and the
// picker at once; a scenario that also has a file serves the file's
// version again. The versions stay in the store, so the calls played on
// them keep their transcripts, reports and re-grades. Refused while an
// assessment uses the scenario (409), for a scenario that only comes
// from a file (409), and for an id never uploaded (404).
func (s *Server) removeScenario(w http.ResponseWriter, r *http.Request, v *sim.User) {
	id := r.PathValue("id")
	c := s.scenarios
	c.edits.Lock() // also held by createAssessment, so none starts on it meanwhile
	defer c.edits.Unlock()
	set := c.set()
	if _, ok := set.uploads[id]; !ok {
		if f := set.files[id]; f != nil {
			// 409, not 404: the scenario is there, and the trainer should
			// learn why this button cannot remove it, not think the id wrong.
			writeError(w, http.StatusConflict, fmt.Sprintf("%q comes with the server (the file %s), it was not uploaded: only uploaded scenarios can be removed here", id, path.Base(f.File)))
			return
		}
		writeError(w, http.StatusNotFound, fmt.Sprintf("no scenario %q was uploaded", id))
		return
	}
	if msg, err := s.usedBy(r.Context(), v, id); err != nil {
		s.apiError(w, "", err)
		return
	} else if msg != "" {
		writeError(w, http.StatusConflict, msg)
		return
	}
	if err := s.store.RemoveUploads(r.Context(), id); err != nil {
		s.apiError(w, "", err)
		return
	}
	c.removeUploads(id)
	s.log.Info("scenario removed", "scenario", id, "uploads", len(set.uploads[id].Uploads), "by", v.Name)
	w.WriteHeader(http.StatusNoContent)
}

// usedBy says which assessments use scenario id, "" for none: by date,
// author and id those v may manage, and only how many the others are, as
// the assessment pages tell nothing of what other teams run.
func (s *Server) usedBy(ctx context.Context, v *sim.User, id string) (string, error) {
	all, err := s.store.Assessments(ctx)
	if err != nil {
		return "", fmt.Errorf("list assessments: %w", err)
	}
	using := slices.DeleteFunc(all, func(a sim.Assessment) bool { return a.Scenario != id })
	if len(using) == 0 {
		return "", nil
	}
	mine, err := s.managedOf(ctx, v, using)
	if err != nil {
		return "", fmt.Errorf("list assessments: %w", err)
	}
	var named []string
	for _, a := range mine {
		named = append(named, fmt.Sprintf("the assessment created %s by %s (%s)", a.Created.Format(time.DateOnly), a.CreatedBy, short(a.ID)))
	}
	others := len(using) - len(mine)
	switch others {
	case 0:
	case 1:
		named = append(named, "an assessment of another team")
	default:
		named = append(named, fmt.Sprintf("%d assessments of other teams", others))
	}
	return fmt.Sprintf("%q is used by %s: a scenario cannot be removed while an assessment uses it", id, andList(named)), nil
}

// andList is "a", "a and b", "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
