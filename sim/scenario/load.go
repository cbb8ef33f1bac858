// Package scenario compiles a persona written in TOML into a sim.Scenario, as
// a pipeline: decode (decode.go: strict TOML, positions, hints), compile
// (compile.go: merge with the built-in defaults.toml, parse guards, resolve
// names) and check (check.go: every mistake an author can make, all
// reported at once as file:line:col diagnostics). It also finds scenario
// files in folders, loads stored scenario versions on the defaults they ran
// on, and reads downloaded transcripts.
package scenario

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

//go:embed defaults.toml
var defaultsSource string

// DefaultsFile is the name under which problems in the built-in defaults are reported.
const DefaultsFile = "defaults.toml"

// Defaults returns the built-in defaults a scenario is loaded on top of: the
// default meters, effects, state machine and replies, as TOML.
func Defaults() string { return defaultsSource }

// Load reads one scenario. name is used in messages and as the default id.
// On failure the error is Diagnostics listing every problem found.
func Load(name string, src []byte) (*sim.Scenario, error) {
	def, defPos := parsedDefaults()
	if def == nil {
		return nil, defaultsProblems
	}
	return load(name, src, defaultsSource, def, defPos)
}

// LoadWithDefaults reads one scenario on top of the given defaults rather
// than the built-in ones, so a stored ScenarioVersion loads exactly as it
// ran after defaults.toml has changed.
func LoadWithDefaults(name string, src []byte, defaults string) (*sim.Scenario, error) {
	if defaults == defaultsSource {
		return Load(name, src)
	}
	dl := &loader{}
	def, defPos := dl.parse(DefaultsFile, defaults)
	if def == nil || len(dl.diags) > 0 {
		return nil, dl.diags.sorted()
	}
	return load(name, src, defaults, def, defPos)
}

// LoadVersion loads a stored scenario version and checks it is the version
// its hash names.
func LoadVersion(v sim.ScenarioVersion) (*sim.Scenario, error) {
	name := v.File
	if name == "" {
		name = v.ID + ".toml"
	}
	s, err := LoadWithDefaults(name, []byte(v.Source), v.Defaults)
	if err != nil {
		return nil, err
	}
	if v.Hash != "" && s.Hash != v.Hash {
		return nil, sim.Errorf(sim.EInvalid, "scenario %q hashes to %.12s, not %.12s as recorded: the record was altered", s.ID, s.Hash, v.Hash)
	}
	return s, nil
}

func load(name string, src []byte, defaults string, def *scenarioFile, defPos located) (*sim.Scenario, error) {
	l := &loader{defaults: defaults, states: map[string]*sim.State{}, facts: map[string]int{}, named: map[string]string{}}
	f, fpos := l.parse(name, string(src))
	if f == nil { // the file could not be decoded at all
		return nil, l.diags.sorted()
	}
	s := l.build(name, string(src), f, fpos, def, defPos)
	if len(l.diags) > 0 {
		return nil, l.diags.sorted()
	}
	return s, nil
}

// A Source is a scenario file's name and contents.
type Source struct {
	Name string
	Data []byte
}

// LoadFS loads the scenario files under each root of fsys (see
// ScenarioFiles), sorted by path. Problems in all files are reported together.
func LoadFS(fsys fs.FS, roots ...string) ([]*sim.Scenario, error) {
	var files []string
	for _, root := range roots {
		fs, err := ScenarioFiles(fsys, root)
		if err != nil {
			return nil, fmt.Errorf("load scenarios: %w", err)
		}
		files = append(files, fs...)
	}
	sort.Strings(files)
	files = slices.Compact(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("load scenarios: no .toml files under %s", strings.Join(roots, ", "))
	}
	srcs := make([]Source, len(files))
	for i, p := range files {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("load scenarios: %w", err)
		}
		srcs[i] = Source{p, data}
	}
	return LoadSources(srcs)
}

// ScenarioFiles is the one rule for finding scenario files: every *.toml
// file under root, sorted, skipping testdata/ and hidden directories below
// root (golden transcripts and fixtures live there). A root that is a file
// is listed whatever its name: a file named explicitly is always loaded.
func ScenarioFiles(fsys fs.FS, root string) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case p == root && !d.IsDir():
			files = append(files, p)
		case d.IsDir() && p != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")):
			return fs.SkipDir
		case !d.IsDir() && strings.HasSuffix(p, ".toml"):
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// LoadSources loads several scenarios, checking that their ids differ.
// Problems in all of them are reported together, as Diagnostics.
func LoadSources(srcs []Source) ([]*sim.Scenario, error) {
	var all []*sim.Scenario
	var diags Diagnostics
	ids := map[string]string{}
	for _, src := range srcs {
		s, err := Load(src.Name, src.Data)
		var ds Diagnostics
		switch {
		case errors.As(err, &ds):
			diags = append(diags, ds...)
			continue
		case err != nil:
			return nil, err
		}
		if other, dup := ids[s.ID]; dup {
			diags = append(diags, Diagnostic{File: src.Name, Line: 1, Col: 1, Message: fmt.Sprintf("scenario id %q is already used by %s; give this scenario its own id", s.ID, other)})
			continue
		}
		ids[s.ID] = src.Name
		all = append(all, s)
	}
	if len(diags) > 0 {
		return nil, diags.sorted()
	}
	return all, nil
}

type loader struct {
	diags    Diagnostics
	named    map[string]string     // meter and fact names -> where first defined, for messages
	states   map[string]*sim.State // by name, as they are added
	facts    map[string]int        // index in Facts by id
	defaults string                // the defaults' source, hashed with the file
}

func (l *loader) errAt(file string, p pos, format string, args ...any) {
	l.diags = append(l.diags, Diagnostic{File: file, Line: p.Line, Col: p.Col, Message: fmt.Sprintf(format, args...)})
}

// knockOnAt reports a problem that may follow from the ones already
// reported: it is listed after them, and says so when there are any.
func (l *loader) knockOnAt(file string, p pos, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if len(l.diags) > 0 {
		msg += " (this may follow from the problems above)"
	}
	l.diags = append(l.diags, Diagnostic{File: file, Line: p.Line, Col: p.Col, Message: msg, knockOn: true})
}

// located is a decoded file with the positions of its keys.
type located struct {
	file string
	pos  *positions
}

func (x located) at(path string) sim.Place {
	p := x.pos.at(path)
	return sim.Place{File: x.file, Line: p.Line, Col: p.Col}
}
