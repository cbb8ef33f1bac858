package scenario

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

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
	l := &loader{defaults: defaults, states: map[string]*sim.State{}, facts: map[string]int{}}
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

// The defaults are parsed once; scenarios only read them.
var (
	defaultsOnce     sync.Once
	defaultsParsed   *scenarioFile
	defaultsAt       located
	defaultsProblems Diagnostics
)

func parsedDefaults() (*scenarioFile, located) {
	defaultsOnce.Do(func() {
		l := &loader{}
		defaultsParsed, defaultsAt = l.parse(DefaultsFile, defaultsSource)
		defaultsProblems = l.diags
	})
	return defaultsParsed, defaultsAt
}

type loader struct {
	diags    Diagnostics
	states   map[string]*sim.State // by name, as they are added
	facts    map[string]int        // index in Facts by id
	defaults string                // the defaults' source, hashed with the file
}

func (l *loader) errAt(file string, p pos, format string, args ...any) {
	l.diags = append(l.diags, Diagnostic{File: file, Line: p.Line, Col: p.Col, Message: fmt.Sprintf(format, args...)})
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

var decodeErrLine = regexp.MustCompile(`^toml: line (\d+)(?: \(last key "([^"]*)"\))?: (.*)$`)

// parse decodes one file strictly: syntax errors, values of the wrong type and
// keys that no field takes are all reported with their position.
func (l *loader) parse(name, src string) (*scenarioFile, located) {
	var f scenarioFile
	md, err := toml.Decode(src, &f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			l.errAt(name, pos{pe.Position.Line, pe.Position.Col}, "%s", tomlMessage(pe))
			return nil, located{}
		}
		if m := decodeErrLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			p := scanPositions(src)
			col := 1
			for _, kp := range p.plain[m[2]] {
				if kp.Line == line {
					col = kp.Col
				}
			}
			l.errAt(name, pos{line, col}, "%s %s", m[2], friendlyType(m[3]))
			return nil, located{}
		}
		l.errAt(name, pos{}, "%v", err)
		return nil, located{}
	}
	p := scanPositions(src)
	x := located{name, p}
	reported := map[string]bool{}
	for _, k := range md.Undecoded() {
		key := k.String()
		parent := ""
		if len(k) > 1 {
			parent = toml.Key(k[:len(k)-1]).String()
		}
		if reported[key] || reported[parent] {
			reported[key] = true
			continue
		}
		reported[key] = true
		if isDynamicKey(k) {
			continue
		}
		hint := unknownKeyHint(k)
		for _, kp := range p.plain[key] {
			l.errAt(name, kp, "unknown key %q%s", k[len(k)-1], hint)
		}
	}
	return &f, x
}

func tomlMessage(pe toml.ParseError) string {
	msg := pe.Message
	if pe.LastKey != "" && !strings.Contains(msg, pe.LastKey) {
		msg = fmt.Sprintf("%s (after key %q)", msg, pe.LastKey)
	}
	return "TOML syntax: " + msg
}

var typeMismatch = regexp.MustCompile(`TOML value has type (\w+); destination has type (\w+)`)

func friendlyType(msg string) string {
	msg = strings.TrimPrefix(msg, "incompatible types: ")
	if m := typeMismatch.FindStringSubmatch(msg); m != nil {
		want := m[2]
		switch want {
		case "integer", "int", "int64":
			want = "a whole number"
		case "float64", "float":
			want = "a number"
		case "bool":
			want = "true or false"
		case "string":
			want = "a string in quotes"
		case "slice":
			want = "a list [ ... ]"
		case "struct", "map":
			want = "a table"
		}
		return fmt.Sprintf("must be %s, not a %s", want, m[1])
	}
	return msg
}

// isDynamicKey reports keys whose names are the author's own, such as meter
// names inside an effect's change table; they are checked against meters later.
func isDynamicKey(k toml.Key) bool {
	return len(k) >= 2 && (k[len(k)-2] == "change" || k[len(k)-2] == "weights")
}

// unknownKeyHint names the keys allowed where k was written, with the
// closest one first if it looks like a typo.
func unknownKeyHint(k toml.Key) string {
	t := reflect.TypeOf(scenarioFile{})
	for _, part := range k[:len(k)-1] {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return ""
		}
		f, ok := fieldByTag(t, part)
		if !ok {
			return ""
		}
		t = f.Type
	}
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return ""
	}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		if tag := t.Field(i).Tag.Get("toml"); tag != "" {
			names = append(names, tag)
		}
	}
	where := "at the top level"
	if len(k) > 1 {
		where = "in [" + toml.Key(k[:len(k)-1]).String() + "]"
	}
	if s := closest(k[len(k)-1], names); s != "" {
		return fmt.Sprintf("; did you mean %q? (keys allowed %s: %s)", s, where, strings.Join(names, ", "))
	}
	return fmt.Sprintf(" (keys allowed %s: %s)", where, strings.Join(names, ", "))
}

func fieldByTag(t reflect.Type, tag string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("toml") == tag {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// closest returns the name nearest to s if it is near enough to be a typo.
func closest(s string, names []string) string {
	if best, ok := sim.Suggest(s, names, max(1, len(s)/3)); ok {
		return best
	}
	return ""
}

var (
	idRe   = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`) // scenario ids appear in URLs
	nameRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)  // names appear in conditions
)

func sourceHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// build validates a decoded file merged with the defaults and compiles it.
func (l *loader) build(name, src string, f *scenarioFile, fx located, def *scenarioFile, dx located) *sim.Scenario {
	s := &sim.Scenario{
		File:       name,
		ID:         f.ID,
		Title:      f.Title,
		Difficulty: f.Difficulty,
		Skills:     f.Skills,
		Brief:      strings.TrimSpace(f.Brief),
		Customer:   f.Customer,
		Product:    f.Product,
		Display:    sim.Display{Meters: true, Checklist: true},
		MaxTurns:   f.MaxTurns,
		Start:      f.Start,
		Grading:    sim.Grading{PassMark: 60, High: 50},
		Hash:       sourceHash(l.defaults, src),
		Source:     src,
		Defaults:   l.defaults,
		Vars:       sim.NewVarTable(),
	}
	if s.ID == "" {
		s.ID = strings.TrimSuffix(path.Base(name), path.Ext(name))
	}
	if s.Difficulty == "" {
		s.Difficulty = "intermediate"
	}
	if s.MaxTurns == 0 {
		s.MaxTurns = 30
	}
	s.TimeUp = f.TimeUp
	if len(s.TimeUp) == 0 {
		s.TimeUp = def.TimeUp
	}
	l.checkTexts(s, f.TimeUp, fx, "time_up")
	if s.Start == "" {
		s.Start = "opening"
	}
	if s.Product.Currency == "" {
		s.Product.Currency = "USD"
	}
	if f.Display != nil {
		s.Display = *f.Display
	}
	if f.Grading != nil {
		s.Grading = *f.Grading
		if s.Grading.PassMark == 0 {
			s.Grading.PassMark = 60
		}
		if s.Grading.High == 0 {
			s.Grading.High = 50
		}
	}
	l.checkHeader(s, fx)

	on := func(b *bool) bool { return b == nil || *b }
	// Meters: the defaults', overridden or extended by name.
	type meterSrc struct {
		m meterFile
		x located
		i int
	}
	var meters []meterSrc
	if on(f.Defaults.Meters) {
		for i, m := range def.Meters {
			meters = append(meters, meterSrc{m, dx, i})
		}
	}
	for i, m := range f.Meters {
		replaced := false
		for j := range meters {
			if meters[j].m.Name == m.Name {
				meters[j] = meterSrc{mergeMeter(meters[j].m, m), fx, i}
				replaced = true
			}
		}
		if !replaced {
			meters = append(meters, meterSrc{m, fx, i})
		}
	}
	for _, ms := range meters {
		l.addMeter(s, ms.m, ms.x, fmt.Sprintf("meter[%d]", ms.i))
	}
	l.addFacts(s, f.Facts, fx)

	// States: the defaults' machine unless turned off, then the scenario's,
	// which may redefine a default state by name.
	if on(f.Defaults.Machine) {
		for i, st := range def.States {
			l.addState(s, st, dx, fmt.Sprintf("state[%d]", i))
		}
	}
	for i, st := range f.States {
		l.addState(s, st, fx, fmt.Sprintf("state[%d]", i))
	}
	if _, ok := l.states[s.Start]; !ok && len(s.States) > 0 {
		l.errAt(name, fx.pos.at("start"), "start state %q is not defined; add a [[state]] named %q or set start to one of: %s", s.Start, s.Start, strings.Join(stateNames(s), ", "))
	}
	for _, fact := range s.Facts {
		l.compileFactGuard(s, fact, f, fx)
	}

	// Transitions: wildcard ones first, so that running out of trust ends the
	// call whatever state it is in; the scenario's before the defaults'.
	var ts []*sim.Transition
	ts = append(ts, l.transitions(s, f.Transitions, fx)...)
	if on(f.Defaults.Machine) {
		ts = append(ts, l.transitions(s, def.Transitions, dx)...)
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].Wildcard && !ts[j].Wildcard })
	s.Transitions = ts
	l.checkDuplicateTransitions(ts)

	if on(f.Defaults.Effects) {
		s.Effects = append(s.Effects, l.effects(s, def.Effects, dx)...)
	}
	s.Effects = append(s.Effects, l.effects(s, f.Effects, fx)...)

	s.Replies = l.replies(s, f.Replies, fx)
	if on(f.Defaults.Replies) {
		s.Replies = append(s.Replies, l.replies(s, def.Replies, dx)...)
	}
	if f.Price != nil {
		s.Price = sim.Price{
			Objection:     f.Price.Objection,
			Unconditional: f.Price.Unconditional,
			Conditional:   f.Price.Conditional,
		}
		s.Price.ObjectionWhen = l.guard(s, f.Price.ObjectionWhen, fx, "price.objection_when")
		l.checkTexts(s, f.Price.Objection, fx, "price.objection")
		l.checkTexts(s, f.Price.Unconditional, fx, "price.unconditional")
		l.checkTexts(s, f.Price.Conditional, fx, "price.conditional")
	}
	l.checkGraph(s)
	if len(l.diags) == 0 {
		if err := s.Finish(); err != nil {
			l.errAt(name, pos{1, 1}, "state machine: %v", err)
		}
	}
	return s
}

func nonEmpty(ss []string) []string {
	out := ss[:0]
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func mergeMeter(base, over meterFile) meterFile {
	if over.Start != nil {
		base.Start = over.Start
	}
	if over.Min != nil {
		base.Min = over.Min
	}
	if over.Max != nil {
		base.Max = over.Max
	}
	return base
}

var difficulties = []string{"beginner", "intermediate", "advanced"}

func (l *loader) checkHeader(s *sim.Scenario, x located) {
	need := func(v, key, what string) {
		if strings.TrimSpace(v) == "" {
			l.errAt(x.file, x.pos.at(key), "missing %s: add %s = \"...\"", what, key)
		}
	}
	need(s.Customer.Name, "customer.name", "the customer's name")
	need(s.Customer.Opening, "customer.opening", "the customer's opening line")
	need(s.Product.Name, "product.name", "the name of what the trainee sells")
	if s.Title == "" {
		s.Title = s.Customer.Name
	}
	if !slices.Contains(difficulties, s.Difficulty) {
		l.errAt(x.file, x.pos.at("difficulty"), "difficulty %q is not known; use one of: %s", s.Difficulty, strings.Join(difficulties, ", "))
	}
	if s.MaxTurns < 1 || s.MaxTurns > 200 {
		l.errAt(x.file, x.pos.at("max_turns"), "max_turns must be between 1 and 200, not %d", s.MaxTurns)
	}
	if !idRe.MatchString(s.ID) {
		l.errAt(x.file, x.pos.at("id"), "id %q must be lower case letters, digits, - or _; set id = \"...\" explicitly", s.ID)
	}
	if s.Product.ListPrice < 0 {
		l.errAt(x.file, x.pos.at("product.list_price"), "list_price cannot be negative")
	}
	if s.Grading.PassMark < 0 || s.Grading.PassMark > 100 || s.Grading.High < 0 || s.Grading.High > 100 {
		l.errAt(x.file, x.pos.at("grading"), "grading pass_mark and high are scores from 0 to 100")
	}
	names := make([]string, 0, len(s.Grading.Weights))
	for n := range s.Grading.Weights {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		at := x.pos.key("grading.weights." + n)
		switch w := s.Grading.Weights[n]; {
		case !slices.Contains(sim.WeightNames, n):
			l.errAt(x.file, at, "weight %q names no part of the grade%s", n, suggestion(n, sim.WeightNames))
		case w < 0 || w > 10:
			l.errAt(x.file, at, "weight %s = %g: use a number from 0 (leave the part out) to 10", n, w)
		}
	}
}

func (l *loader) checkName(s *sim.Scenario, name, what string, x located, path string) bool {
	if !nameRe.MatchString(name) {
		l.errAt(x.file, x.pos.at(path), "%s name %q must start with a lower-case letter and use only a-z, 0-9 and _ (it is used in conditions)", what, name)
		return false
	}
	if _, taken := s.Vars.Slot(name); taken {
		l.errAt(x.file, x.pos.at(path), "%s name %q is already used by a meter, fact or built-in counter; choose another", what, name)
		return false
	}
	return true
}

func (l *loader) addMeter(s *sim.Scenario, m meterFile, x located, at string) {
	if !l.checkName(s, m.Name, "meter", x, at+".name") {
		return
	}
	v := sim.Meter{Name: m.Name, Min: 0, Max: 100, Start: 50}
	if m.Min != nil {
		v.Min = *m.Min
	}
	if m.Max != nil {
		v.Max = *m.Max
	}
	if m.Start != nil {
		v.Start = *m.Start
	}
	if v.Min >= v.Max || v.Start < v.Min || v.Start > v.Max {
		l.errAt(x.file, x.pos.at(at), "meter %q needs min < max and start between them (min %d, start %d, max %d)", v.Name, v.Min, v.Start, v.Max)
	}
	s.Vars.Add(v.Name)
	s.Meters = append(s.Meters, v)
}

func (l *loader) addFacts(s *sim.Scenario, facts []factFile, x located) {
	for i, ff := range facts {
		at := fmt.Sprintf("fact[%d]", i)
		kind := sim.FactKind(ff.Kind)
		if !kind.Known() {
			var kinds []string
			for _, k := range sim.FactKinds() {
				kinds = append(kinds, string(k))
			}
			hint := ""
			if c := closest(ff.Kind, kinds); c != "" {
				hint = fmt.Sprintf("did you mean %q? ", c)
			}
			l.errAt(x.file, x.pos.at(at+".kind"), "fact kind %q is not known; %suse one of: %s", ff.Kind, hint, strings.Join(kinds, ", "))
		}
		if len(ff.Reply) == 0 || strings.TrimSpace(ff.Reply[0]) == "" {
			l.errAt(x.file, x.pos.at(at), "fact %q has no reply: add reply = \"what the customer says when asked\"", ff.ID)
		}
		l.checkTexts(s, ff.Reply, x, at+".reply")
		l.checkTexts(s, ff.Deflect, x, at+".deflect")
		if !l.checkName(s, ff.ID, "fact", x, at+".id") {
			continue
		}
		fact := &sim.Fact{
			ID: ff.ID, Kind: kind, Label: ff.Label, Reply: ff.Reply, Pain: ff.Pain,
			Keywords: ff.Keywords, Question: ff.Question, Deflect: ff.Deflect,
			At: x.at(at),
		}
		if fact.Label == "" {
			fact.Label = strings.ReplaceAll(ff.ID, "_", " ")
		}
		for _, w := range sim.AppendStems(nil, fact.Label) {
			if len(w) >= 5 {
				fact.LabelStems = append(fact.LabelStems, w)
			}
		}
		l.facts[ff.ID] = len(s.Facts)
		s.Vars.Add(ff.ID)
		s.Facts = append(s.Facts, fact)
	}
	for i, fact := range s.Facts {
		at := fmt.Sprintf("fact[%d]", i)
		switch {
		case fact.Pain == "" && fact.Kind == sim.FactImplication:
			l.errAt(x.file, x.pos.at(at), "implication %q must name the pain it builds on: add pain = \"<id of a fact with kind = \\\"pain\\\">\"", fact.ID)
		case fact.Pain == "":
		case fact.Kind != sim.FactImplication && fact.Kind != sim.FactNeed:
			l.errAt(x.file, x.pos.at(at+".pain"), "only implication and need facts build on a pain; remove pain from this %s fact", fact.Kind)
		default:
			j, ok := l.facts[fact.Pain]
			if !ok {
				l.errAt(x.file, x.pos.at(at+".pain"), "pain %q is not a fact of this scenario%s", fact.Pain, suggestion(fact.Pain, factIDs(s, sim.FactPain)))
			} else if s.Facts[j].Kind != sim.FactPain {
				l.errAt(x.file, x.pos.at(at+".pain"), "%q is a %s fact, not a pain; name a fact with kind = \"pain\"", fact.Pain, s.Facts[j].Kind)
			}
		}
	}
}

func (l *loader) compileFactGuard(s *sim.Scenario, fact *sim.Fact, f *scenarioFile, x located) {
	for i := range f.Facts {
		if f.Facts[i].ID == fact.ID {
			fact.When = l.guard(s, f.Facts[i].When, x, fmt.Sprintf("fact[%d].when", i))
		}
	}
}

func factIDs(s *sim.Scenario, kind sim.FactKind) []string {
	var ids []string
	for _, f := range s.Facts {
		if f.Kind == kind {
			ids = append(ids, f.ID)
		}
	}
	return ids
}

func suggestion(name string, names []string) string {
	if c := closest(name, names); c != "" {
		return fmt.Sprintf("; did you mean %q?", c)
	}
	if len(names) > 0 {
		return "; known: " + strings.Join(names, ", ")
	}
	return ""
}

func stateNames(s *sim.Scenario) []string {
	var names []string
	for _, st := range s.States {
		names = append(names, st.Name)
	}
	return names
}

func (l *loader) addState(s *sim.Scenario, sf stateFile, x located, at string) {
	if !nameRe.MatchString(sf.Name) {
		l.errAt(x.file, x.pos.at(at+".name"), "state name %q must start with a lower-case letter and use only a-z, 0-9 and _", sf.Name)
		return
	}
	st := &sim.State{Name: sf.Name, Description: sf.Description, At: x.at(at)}
	switch sim.Outcome(sf.End) {
	case "", sim.Won, sim.Lost:
		st.End = sim.Outcome(sf.End)
	default:
		l.errAt(x.file, x.pos.at(at+".end"), "end %q is not an outcome; use end = \"won\" or end = \"lost\", or leave it out for a state the call goes on from", sf.End)
	}
	if sf.Reveals != nil {
		st.Reveals = []sim.FactKind{}
	}
	for i, k := range sf.Reveals {
		if !sim.FactKind(k).Known() {
			l.errAt(x.file, x.pos.at(fmt.Sprintf("%s.reveals[%d]", at, i)), "reveals %q is not a fact kind; use kinds such as situation, pain, implication, need, budget", k)
			continue
		}
		st.Reveals = append(st.Reveals, sim.FactKind(k))
	}
	if old, ok := l.states[st.Name]; ok {
		if old.At.File == x.file {
			l.errAt(x.file, x.pos.at(at+".name"), "state %q is defined twice (first at line %d); give each state its own name", st.Name, old.At.Line)
			return
		}
		*old = *st // a scenario redefining a default state
		return
	}
	l.states[st.Name] = st
	s.States = append(s.States, st)
}

// acts reads a list of act names; "any" (or an empty list, when allowed) means every turn.
func (l *loader) acts(names []string, x located, at string, emptyIsAny bool) sim.ActSet {
	if len(names) == 0 && emptyIsAny {
		return sim.AnyAct
	}
	var set sim.ActSet
	for i, n := range names {
		if n == "any" {
			set |= sim.AnyAct
			continue
		}
		a, err := sim.ParseAct(n)
		if err != nil {
			l.errAt(x.file, x.pos.at(fmt.Sprintf("%s[%d]", at, i)), "%v", err)
			continue
		}
		set |= 1 << a
	}
	return set
}

func (l *loader) guard(s *sim.Scenario, src string, x located, at string) *sim.Guard {
	g, err := compileGuard(src, s.Vars.Slot)
	var ee *exprError
	if errors.As(err, &ee) {
		p := x.pos.at(at)
		col := p.Col + 1 + ee.Offset // +1 for the opening quote
		msg := ee.Msg
		if strings.HasPrefix(msg, "unknown name") {
			name := strings.Fields(src[ee.Offset:])[0]
			name = strings.TrimRight(name, ")")
			msg += suggestion(name, s.Vars.Names())
			if !strings.Contains(msg, "did you mean") {
				msg = fmt.Sprintf("unknown name %q in condition; use a meter, a fact id or one of: %s", name, strings.Join(sim.BuiltinVariables(), ", "))
			}
		}
		l.errAt(x.file, pos{p.Line, col}, "%s", msg)
	}
	return g
}

func (l *loader) transitions(s *sim.Scenario, tfs []transitionFile, x located) []*sim.Transition {
	var out []*sim.Transition
	for i, tf := range tfs {
		at := fmt.Sprintf("transition[%d]", i)
		t := &sim.Transition{
			Name:   fmt.Sprintf("%s:%d", x.file, x.pos.at(at).Line),
			On:     l.acts(tf.On, x, at+".on", true),
			To:     tf.To,
			When:   l.guard(s, tf.When, x, at+".when"),
			Reason: tf.Reason,
			At:     x.at(at),
		}
		if len(tf.From) == 0 {
			l.errAt(x.file, x.pos.at(at), "transition has no from: add from = \"<state>\" (or \"*\" for every state)")
		}
		for j, from := range tf.From {
			if from == "*" {
				t.Wildcard = true
				continue
			}
			if _, ok := l.states[from]; !ok {
				l.errAt(x.file, x.pos.at(fmt.Sprintf("%s.from[%d]", at, j)), "transition from %q: no such state%s", from, suggestion(from, stateNames(s)))
			}
			t.From = append(t.From, from)
		}
		if t.Wildcard && len(t.From) > 0 {
			l.errAt(x.file, x.pos.at(at+".from"), "from = \"*\" already means every state; list states or use \"*\", not both")
		}
		if tf.To == "" {
			l.errAt(x.file, x.pos.at(at), "transition has no to: add to = \"<state>\"")
		} else if dst, ok := l.states[tf.To]; !ok {
			l.errAt(x.file, x.pos.at(at+".to"), "transition to %q: no such state%s", tf.To, suggestion(tf.To, stateNames(s)))
		} else if slices.Contains(t.From, tf.To) {
			l.errAt(x.file, x.pos.at(at+".to"), "transition from %q to itself goes nowhere; remove it, or use an [[effect]] to change meters", tf.To)
		} else if dst.End == "" && t.Wildcard {
			l.errAt(x.file, x.pos.at(at+".to"), "a transition from \"*\" must go to an end state (end = \"won\" or \"lost\"), not %q", tf.To)
		}
		for _, from := range t.From {
			if st, ok := l.states[from]; ok && st.End != "" {
				l.errAt(x.file, x.pos.at(at+".from"), "state %q ends the call (end = %q); nothing can leave it", from, st.End)
			}
		}
		out = append(out, t)
	}
	return out
}

func (l *loader) checkDuplicateTransitions(ts []*sim.Transition) {
	type key struct {
		from string
		on   sim.ActSet
		when string
	}
	seen := map[key]*sim.Transition{}
	for _, t := range ts {
		froms := t.From
		if t.Wildcard {
			froms = []string{"*"}
		}
		w := ""
		if t.When != nil {
			w = strings.Join(strings.Fields(t.When.Src), " ")
		}
		for _, from := range froms {
			k := key{from, t.On, w}
			if first, dup := seen[k]; dup {
				if first.At.File == t.At.File {
					l.errAt(t.At.File, pos{t.At.Line, t.At.Col}, "duplicate transition: from %q on the same acts and condition as the one at line %d, which always wins; remove one or give it another condition", from, first.At.Line)
				}
				continue
			}
			seen[k] = t
		}
	}
}

func (l *loader) effects(s *sim.Scenario, efs []effectFile, x located) []*sim.Effect {
	var out []*sim.Effect
	for i, ef := range efs {
		at := fmt.Sprintf("effect[%d]", i)
		e := &sim.Effect{
			On:     l.acts(ef.On, x, at+".on", true),
			When:   l.guard(s, ef.When, x, at+".when"),
			Reason: ef.Reason,
			At:     x.at(at),
		}
		if len(ef.Change) == 0 {
			l.errAt(x.file, x.pos.at(at), "effect changes nothing: add change = { trust = -5 } (meter names and amounts)")
		}
		names := make([]string, 0, len(ef.Change))
		for n := range ef.Change {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			mi := slices.IndexFunc(s.Meters, func(m sim.Meter) bool { return m.Name == n })
			if mi < 0 {
				var meters []string
				for _, m := range s.Meters {
					meters = append(meters, m.Name)
				}
				l.errAt(x.file, x.pos.key(at+".change."+n), "change names meter %q, which this scenario does not have%s", n, suggestion(n, meters))
				continue
			}
			e.Change = append(e.Change, sim.MeterDelta{Meter: mi, Delta: ef.Change[n]})
		}
		out = append(out, e)
	}
	return out
}

func (l *loader) replies(s *sim.Scenario, rfs []replyFile, x located) []*sim.Reply {
	var out []*sim.Reply
	for i, rf := range rfs {
		at := fmt.Sprintf("reply[%d]", i)
		r := &sim.Reply{State: rf.State, Enter: rf.Enter, Text: rf.Text, At: x.at(at)}
		if rf.Enter {
			if len(rf.On) > 0 {
				l.errAt(x.file, x.pos.at(at+".on"), "a reply with enter = true is said on entering the state; remove on")
			}
			if rf.State == "" {
				l.errAt(x.file, x.pos.at(at), "a reply with enter = true needs the state it is said on entering: add state = \"...\"")
			}
		} else {
			r.On = l.acts(rf.On, x, at+".on", true)
		}
		if rf.State != "" {
			if _, ok := l.states[rf.State]; !ok && x.file == DefaultsFile {
				continue // a default reply for a default state the scenario replaced
			} else if !ok {
				l.errAt(x.file, x.pos.at(at+".state"), "reply for state %q: no such state%s", rf.State, suggestion(rf.State, stateNames(s)))
			}
		}
		r.When = l.guard(s, rf.When, x, at+".when")
		if len(rf.Text) == 0 {
			l.errAt(x.file, x.pos.at(at), "reply has no text: add text = [\"...\"]")
		}
		l.checkTexts(s, rf.Text, x, at+".text")
		out = append(out, r)
	}
	return out
}

var placeholderRe = regexp.MustCompile(`\{[^{}]*\}`)

// placeholders are the names a reply can use in braces.
var placeholders = []string{"{customer}", "{role}", "{company}", "{product}", "{vendor}", "{price}"}

func (l *loader) checkTexts(s *sim.Scenario, texts []string, x located, at string) {
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			l.errAt(x.file, x.pos.at(fmt.Sprintf("%s[%d]", at, i)), "empty text; write what the customer says")
		}
		for _, ph := range placeholderRe.FindAllString(t, -1) {
			if !slices.Contains(placeholders, ph) {
				l.errAt(x.file, x.pos.at(fmt.Sprintf("%s[%d]", at, i)), "unknown placeholder %s; use one of %s", ph, strings.Join(placeholders, " "))
			}
		}
	}
}

// checkGraph finds states the call can never reach, states it can never
// leave, and facts no reachable state reveals.
func (l *loader) checkGraph(s *sim.Scenario) {
	if len(s.States) == 0 {
		l.errAt(s.File, pos{1, 1}, "the scenario has no states; keep the default machine (remove [defaults] machine = false) or add [[state]] tables")
		return
	}
	if l.states[s.Start] == nil {
		return // reported already
	}
	succ := map[string][]string{}
	var wild []string
	for _, t := range s.Transitions {
		if l.states[t.To] == nil {
			continue // reported already
		}
		if t.Wildcard {
			wild = append(wild, t.To)
			continue
		}
		for _, from := range t.From {
			succ[from] = append(succ[from], t.To)
		}
	}
	next := func(st string) []string {
		if l.states[st] == nil || l.states[st].End != "" {
			return nil
		}
		return append(append([]string{}, succ[st]...), wild...)
	}
	reach := map[string]bool{s.Start: true}
	queue := []string{s.Start}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		for _, n := range next(st) {
			if !reach[n] {
				reach[n] = true
				queue = append(queue, n)
			}
		}
	}
	wonReachable := false
	for _, st := range s.States {
		if !reach[st.Name] {
			l.errAt(st.At.File, pos{st.At.Line, st.At.Col}, "state %q can never be reached from %q; add a transition to it or remove it", st.Name, s.Start)
			continue
		}
		if st.End == sim.Won {
			wonReachable = true
		}
		if st.End != "" {
			continue
		}
		// Can this state lead to any end?
		seen := map[string]bool{st.Name: true}
		q := []string{st.Name}
		ends := false
		for len(q) > 0 && !ends {
			cur := q[0]
			q = q[1:]
			for _, n := range next(cur) {
				if l.states[n].End != "" {
					ends = true
				}
				if !seen[n] {
					seen[n] = true
					q = append(q, n)
				}
			}
		}
		if !ends {
			l.errAt(st.At.File, pos{st.At.Line, st.At.Col}, "state %q has no way out: no transition from it leads to an end state; add one (for example to a state with end = \"won\" on close)", st.Name)
		}
	}
	if !wonReachable {
		l.errAt(s.File, pos{1, 1}, "no state with end = \"won\" can be reached, so the trainee can never win; add a transition to one")
	}
	for _, fact := range s.Facts {
		if !fact.Kind.Known() {
			continue // reported already
		}
		revealed := false
		for _, st := range s.States {
			if reach[st.Name] && st.RevealsKind(fact.Kind) {
				revealed = true
			}
		}
		if !revealed {
			l.errAt(fact.At.File, pos{fact.At.Line, fact.At.Col}, "fact %q can never be revealed: no reachable state reveals %s facts; add %q to a state's reveals", fact.ID, fact.Kind, fact.Kind)
		}
	}
}
