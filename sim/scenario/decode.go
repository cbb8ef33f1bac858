package scenario

import (
	_ "embed"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
)

// Decode: TOML to the file shapes of file.go, strictly (every key must be
// taken), with each problem placed at its line and column.

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
