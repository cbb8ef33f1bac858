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
			// In repeated tables ([[fact]]) the decoder names the key's
			// last line in the file; find the one whose value has the
			// wrong type.
			if at, ok := wrongValue(src, p, m[2], m[3]); ok {
				line, col = at.Line, at.Col
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

var (
	typeMismatch = regexp.MustCompile(`TOML value has type (\S+); destination has type (\S+)`)
	listOfType   = regexp.MustCompile(`found a? ?(\S+) in the list`)
	foundType    = regexp.MustCompile(`found (\S+)$`)
)

// plainType names a Go or TOML type as an author would: "a whole number",
// not "int64".
func plainType(t string) string {
	switch strings.TrimPrefix(t, "*") {
	case "integer", "int", "int64", "int32", "uint", "uint64":
		return "a whole number"
	case "float64", "float", "float32":
		return "a number"
	case "bool", "boolean":
		return "true or false"
	case "string":
		return "a string in quotes"
	case "slice", "array", "[]interface", "[]interface{}", "[]any", "[]string":
		return "a list [ ... ]"
	case "struct", "map", "map[string]interface", "map[string]interface{}", "map[string]any", "table":
		return "a table { ... }"
	case "datetime", "time.Time":
		return "a date"
	}
	return "a " + t
}

func friendlyType(msg string) string {
	msg = strings.TrimPrefix(msg, "incompatible types: ")
	if m := typeMismatch.FindStringSubmatch(msg); m != nil {
		got := plainType(m[1])
		if got == "a number" {
			got = "a number with a decimal point"
		}
		return fmt.Sprintf("must be %s, not %s", plainType(m[2]), got)
	}
	if m := listOfType.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("must be a string or a list of strings, not a list holding %s", plainType(m[1]))
	}
	if m := foundType.FindStringSubmatch(msg); m != nil && strings.HasPrefix(msg, "expected a string") {
		return fmt.Sprintf("must be a string or a list of strings, not %s", plainType(m[1]))
	}
	return msg
}

// wrongValue finds, for a key of a repeated table such as fact.keywords,
// the occurrence whose value is not of the type the decoder wanted.
func wrongValue(src string, p *positions, key, msg string) (pos, bool) {
	table, field, ok := strings.Cut(key, ".")
	if !ok {
		return pos{}, false
	}
	lines := strings.Split(src, "\n")
	want := valueKind(msg)
	for i := 0; ; i++ {
		at, ok := p.values[fmt.Sprintf("%s[%d].%s", table, i, field)]
		if !ok {
			if _, more := p.keys[fmt.Sprintf("%s[%d]", table, i)]; !more && i > 0 {
				return pos{}, false
			}
			if i > 1000 {
				return pos{}, false
			}
			continue
		}
		if at.Line-1 >= len(lines) || at.Col-1 >= len(lines[at.Line-1]) {
			continue
		}
		got := kindOf(lines[at.Line-1][at.Col-1:])
		if want == "number" && got == "int" {
			got = "number"
		}
		if want != "" && got != want && !(want == "string" && got == "list") {
			k := p.keys[fmt.Sprintf("%s[%d].%s", table, i, field)]
			return k, true
		}
	}
}

// valueKind is the kind of value the decoder wanted, from its message.
func valueKind(msg string) string {
	if m := typeMismatch.FindStringSubmatch(msg); m != nil {
		switch plainType(m[2]) {
		case "a whole number":
			return "int"
		case "a number":
			return "number"
		case "a string in quotes":
			return "string"
		case "a list [ ... ]":
			return "list"
		case "true or false":
			return "bool"
		case "a table { ... }":
			return "table"
		}
	}
	if strings.HasPrefix(msg, "expected a string") {
		return "string"
	}
	return ""
}

// kindOf reads the kind of the TOML value text starts with.
func kindOf(text string) string {
	switch {
	case text == "":
		return ""
	case text[0] == '"' || text[0] == '\'':
		return "string"
	case text[0] == '[':
		return "list"
	case text[0] == '{':
		return "table"
	case strings.HasPrefix(text, "true") || strings.HasPrefix(text, "false"):
		return "bool"
	}
	end := strings.IndexAny(text, " ,}]#\t\r")
	if end < 0 {
		end = len(text)
	}
	if strings.ContainsAny(text[:end], ".eE") && !strings.HasPrefix(text, "0x") {
		return "number"
	}
	return "int"
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
