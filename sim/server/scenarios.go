package server

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

// The server's scenarios: the files it started with (bundled, or
// --scenarios DIR, reloaded when they change: scenarios_watch.go) and the
// ones uploaded from the page (scenarios_api.go). For each id, trainees
// get the published upload if there is one, else the file's version; a
// draft (uploaded, never published, no file) is only for trainers and
// admins.
//
// Readers take an immutable snapshot with one atomic load and never lock;
// writers, few and rare, take turns on a mutex and swap in a new snapshot.
// A call holds the *sim.Scenario it started on, so it stays on that version
// whatever is published or reloaded meanwhile.

// A catalog owns the scenario set.
type catalog struct {
	snap atomic.Pointer[scenarioSet]
	// edits is held by a request that changes the store and then the
	// catalog, so both see the changes in the same order.
	edits sync.Mutex

	mu       sync.Mutex // serializes writers; guards what follows
	files    []*sim.Scenario
	problems []problem                       // of the files, at the last reload
	uploads  map[string]sim.UploadedScenario // by id
	versions map[string]*sim.Scenario        // every uploaded version loaded, by hash
}

// A scenarioSet is the scenarios at one moment. It is never changed once
// published in the catalog.
type scenarioSet struct {
	order    []string                 // ids served to trainees: the files' in order, then uploads' by id
	serving  map[string]*sim.Scenario // by id: what trainees start
	files    map[string]*sim.Scenario // by id
	byHash   map[string]*sim.Scenario // every version loaded: files and uploads
	uploads  map[string]sim.UploadedScenario
	problems []problem
}

// A problem is a scenario diagnostic as the page shows it.
type problem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"` // "error" or "warning"
	Message  string `json:"message"`
}

// problemsOf are ds as the page shows them; Lint's warnings say so.
func problemsOf(ds scenario.Diagnostics) []problem {
	out := make([]problem, 0, len(ds))
	for _, d := range ds {
		p := problem{File: d.File, Line: d.Line, Col: d.Col, Severity: "error", Message: d.Message}
		if rest, ok := strings.CutPrefix(d.Message, "warning: "); ok {
			p.Severity, p.Message = "warning", rest
		}
		out = append(out, p)
	}
	return out
}

func newCatalog(files []*sim.Scenario) *catalog {
	c := &catalog{files: files, uploads: map[string]sim.UploadedScenario{}, versions: map[string]*sim.Scenario{}}
	c.mu.Lock()
	c.publishSet()
	c.mu.Unlock()
	return c
}

// set is the scenarios now.
func (c *catalog) set() *scenarioSet { return c.snap.Load() }

// publishSet builds the snapshot from the writer's state; c.mu is held.
func (c *catalog) publishSet() {
	s := &scenarioSet{
		serving:  map[string]*sim.Scenario{},
		files:    map[string]*sim.Scenario{},
		byHash:   maps.Clone(c.versions),
		uploads:  maps.Clone(c.uploads),
		problems: c.problems,
	}
	for _, sc := range c.files {
		s.files[sc.ID] = sc
		s.serving[sc.ID] = sc
		s.byHash[sc.Hash] = sc
		s.order = append(s.order, sc.ID)
	}
	for _, id := range slices.Sorted(maps.Keys(c.uploads)) {
		u := c.uploads[id]
		sc := c.versions[u.Published]
		if sc == nil {
			continue // a draft, or a version that no longer loads
		}
		if s.serving[id] == nil {
			s.order = append(s.order, id)
		}
		s.serving[id] = sc
	}
	c.snap.Store(s)
}

// fileList is the file scenarios now.
func (c *catalog) fileList() []*sim.Scenario {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.files)
}

// setFiles replaces the file scenarios and their problems.
func (c *catalog) setFiles(files []*sim.Scenario, problems []problem) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.files, c.problems = files, problems
	c.publishSet()
}

// addUpload records upload u of version sc.
func (c *catalog) addUpload(sc *sim.Scenario, u sim.Upload) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rec := c.uploads[u.Scenario]
	rec.ID = u.Scenario
	rec.Uploads = append(slices.Clone(rec.Uploads), u)
	c.uploads[u.Scenario] = rec
	c.versions[sc.Hash] = sc
	c.publishSet()
}

// publish records that hash ("" none) is the published version of id.
func (c *catalog) publish(id, hash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rec := c.uploads[id]
	rec.Published = hash
	c.uploads[id] = rec
	c.publishSet()
}

// removeUploads forgets every upload of id and its versions: trainees get
// the file's version again, or nothing. A call on one of them keeps it
// (scenarioOf reads it from the store).
func (c *catalog) removeUploads(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, u := range c.uploads[id].Uploads {
		delete(c.versions, u.Hash)
	}
	delete(c.uploads, id)
	c.publishSet()
}

// LoadUploads reads the scenarios uploaded from the page from the store
// and serves them beside the files: call it once, before serving. A
// version that no longer loads is logged and left out (the calls played on
// it still replay from their record). Sweep calls it again now and then,
// so that servers sharing a database serve what any of them took in.
func (s *Server) LoadUploads(ctx context.Context) error {
	if _, err := s.loadUploads(ctx); err != nil {
		return err
	}
	s.log.Info("uploaded scenarios loaded", "scenarios", len(s.scenarios.set().uploads))
	return nil
}

// loadUploads brings the catalog's uploads up to what the store holds,
// compiling only versions it has not loaded yet, and says whether anything
// changed. It holds the catalog's edits, so an upload or publish made on
// this server meanwhile is not undone by an older read.
func (s *Server) loadUploads(ctx context.Context) (changed bool, err error) {
	c := s.scenarios
	c.edits.Lock()
	defer c.edits.Unlock()
	recs, err := s.store.UploadedScenarios(ctx)
	if err != nil {
		return false, fmt.Errorf("load uploaded scenarios: %w", err)
	}
	c.mu.Lock()
	known := maps.Clone(c.versions)
	same := len(recs) == len(c.uploads)
	for _, rec := range recs {
		have := c.uploads[rec.ID]
		same = same && rec.Published == have.Published &&
			slices.EqualFunc(rec.Uploads, have.Uploads, func(a, b sim.Upload) bool { return a.N == b.N && a.Hash == b.Hash })
	}
	c.mu.Unlock()
	if same {
		return false, nil
	}
	versions := map[string]*sim.Scenario{}
	for _, rec := range recs {
		for _, u := range rec.Uploads {
			if known[u.Hash] != nil || versions[u.Hash] != nil {
				continue
			}
			v, err := s.store.ScenarioVersion(ctx, u.Hash)
			if err != nil {
				return false, fmt.Errorf("load uploaded scenario %s: %w", rec.ID, err)
			}
			sc, err := scenario.LoadVersion(v)
			if err != nil {
				s.log.Error("an uploaded scenario version does not load", "scenario", rec.ID, "version", u.Hash[:min(12, len(u.Hash))], "err", err)
				continue
			}
			versions[u.Hash] = sc
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	maps.Copy(c.versions, versions)
	uploads := map[string]sim.UploadedScenario{}
	for _, rec := range recs {
		uploads[rec.ID] = rec
	}
	for id, rec := range c.uploads {
		if _, ok := uploads[id]; !ok { // removed on another server
			for _, u := range rec.Uploads {
				delete(c.versions, u.Hash)
			}
		}
	}
	c.uploads = uploads
	c.publishSet()
	return true, nil
}

// latest is the newest uploaded version of id, or nil.
func (s *scenarioSet) latest(id string) *sim.Scenario {
	u, ok := s.uploads[id]
	if !ok || len(u.Uploads) == 0 {
		return nil
	}
	return s.byHash[u.Latest().Hash]
}

// anyVersion is what a trainer means by scenario id: the one trainees
// get, else the newest draft.
func (s *scenarioSet) anyVersion(id string) *sim.Scenario {
	if sc := s.serving[id]; sc != nil {
		return sc
	}
	return s.latest(id)
}

// start is the version a call on scenario id starts on, or nil: version
// (a hash) names one; "" is the one trainees get. Trainers and admins
// (staff) may also start drafts and any uploaded version.
func (s *scenarioSet) start(id, version string, staff bool) *sim.Scenario {
	if version == "" {
		if staff {
			return s.anyVersion(id)
		}
		return s.serving[id]
	}
	sc := s.byHash[version]
	switch {
	case sc == nil || sc.ID != id:
		return nil
	case sc != s.serving[id] && !staff:
		return nil
	}
	return sc
}

// listing is one scenario of GET /api/scenarios: what it is, and whether
// it is a draft only trainers and admins see.
type listing struct {
	sc    *sim.Scenario
	draft bool
}

// listed is what viewer v (nil: a visitor) may start: the scenarios
// trainees get, and, for trainers and admins, the drafts after them.
func (s *scenarioSet) listed(v *sim.User) []listing {
	out := make([]listing, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, listing{sc: s.serving[id]})
	}
	if !isStaff(v) {
		return out
	}
	for _, id := range slices.Sorted(maps.Keys(s.uploads)) {
		if s.serving[id] == nil {
			if sc := s.latest(id); sc != nil {
				out = append(out, listing{sc: sc, draft: true})
			}
		}
	}
	return out
}

// isStaff reports whether v writes and reviews scenarios: a trainer or an admin.
func isStaff(v *sim.User) bool {
	return v != nil && !v.Disabled && (v.Role == sim.Trainer || v.Role == sim.Admin)
}
