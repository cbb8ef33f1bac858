package scenario

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// The TOML decoder tells where syntax errors are but not where a key or value
// sits, and a scenario author needs file:line:col for every problem, including
// the ones found after decoding (a transition to a missing state, a misspelled
// act). positions is a second, forgiving pass over source that the decoder has
// already accepted, recording where each key and value starts.

type pos struct{ Line, Col int }

// A keyPath names a value as the decoder sees it, with array indices:
// "fact[2].reply", "effect[0].change.trust", "transition[1].on[0]".
type positions struct {
	keys   map[string]pos   // path -> where its key is written
	values map[string]pos   // path -> where its value starts
	plain  map[string][]pos // path without indices -> key positions, in order
}

// at returns the best position for path: its value, else its key, else the
// nearest enclosing path that has one.
func (p *positions) at(path string) pos {
	for path != "" {
		if v, ok := p.values[path]; ok {
			return v
		}
		if k, ok := p.keys[path]; ok {
			return k
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return pos{}
}

// key returns where the key of path is written.
func (p *positions) key(path string) pos {
	if k, ok := p.keys[path]; ok {
		return k
	}
	return p.at(path)
}

type tomlTok struct {
	kind byte // 'k' key or scalar, 's' string, '[' ']' '{' '}' '=' ',' '.', '\n'
	text string
	pos  pos
	glue bool // no space between this token and the previous one
}

func scanPositions(src string) *positions {
	p := &positions{keys: map[string]pos{}, values: map[string]pos{}, plain: map[string][]pos{}}
	toks := tokenizeTOML(src)
	arrays := map[string]int{} // array-of-tables path -> element count
	var prefix string
	i := 0
	next := func() tomlTok {
		if i < len(toks) {
			i++
			return toks[i-1]
		}
		return tomlTok{kind: 0}
	}
	peek := func() tomlTok {
		if i < len(toks) {
			return toks[i]
		}
		return tomlTok{kind: 0}
	}
	// readKey reads a dotted key and returns its parts and the position of the first.
	readKey := func() ([]string, pos) {
		var parts []string
		first := peek().pos
		for {
			t := next()
			if t.kind != 'k' && t.kind != 's' {
				return parts, first
			}
			parts = append(parts, t.text)
			if peek().kind != '.' {
				return parts, first
			}
			next()
		}
	}
	// resolve turns a header's key parts into an indexed path.
	resolve := func(parts []string) string {
		path := ""
		for _, part := range parts {
			path = joinPath(path, part)
			if n, ok := arrays[path]; ok {
				path += "[" + strconv.Itoa(n-1) + "]"
			}
		}
		return path
	}
	// record notes where a key is written; key is false for the elements
	// of an inline array, which the decoder never reports as keys.
	record := func(path string, kp pos, key bool) {
		if _, seen := p.keys[path]; !seen {
			p.keys[path] = kp
			if key {
				plain := stripIndices(path)
				p.plain[plain] = append(p.plain[plain], kp)
			}
		}
	}
	var value func(path string)
	value = func(path string) {
		t := peek()
		p.values[path] = t.pos
		switch t.kind {
		case '[':
			next()
			n := 0
			for {
				for peek().kind == '\n' || peek().kind == ',' {
					next()
				}
				if k := peek().kind; k == ']' || k == 0 {
					next()
					return
				}
				el := path + "[" + strconv.Itoa(n) + "]"
				record(el, peek().pos, false)
				value(el)
				n++
			}
		case '{':
			next()
			for {
				for peek().kind == ',' || peek().kind == '\n' {
					next()
				}
				if k := peek().kind; k == '}' || k == 0 {
					next()
					return
				}
				parts, kp := readKey()
				if len(parts) == 0 {
					next()
					continue
				}
				sub := joinPath(path, strings.Join(parts, "."))
				record(sub, kp, true)
				if peek().kind == '=' {
					next()
				}
				value(sub)
			}
		default:
			next()
		}
	}
	for i < len(toks) {
		t := peek()
		switch t.kind {
		case '\n':
			next()
		case '[':
			next()
			array := peek().kind == '[' && peek().glue
			if array {
				next()
			}
			parts, kp := readKey()
			for peek().kind == ']' {
				next()
			}
			if array {
				base := resolve(parts[:len(parts)-1])
				path := joinPath(base, parts[len(parts)-1])
				arrays[path]++
				prefix = path + "[" + strconv.Itoa(arrays[path]-1) + "]"
			} else {
				prefix = resolve(parts)
			}
			record(prefix, kp, true)
		default:
			parts, kp := readKey()
			if len(parts) == 0 {
				next()
				continue
			}
			path := joinPath(prefix, strings.Join(parts, "."))
			record(path, kp, true)
			if peek().kind == '=' {
				next()
				value(path)
			}
		}
	}
	return p
}

func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// stripIndices turns "fact[2].reply" into "fact.reply", the form in which the
// decoder reports undecoded keys.
func stripIndices(path string) string {
	var b strings.Builder
	depth := 0
	for _, r := range path {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func tokenizeTOML(src string) []tomlTok {
	var toks []tomlTok
	line, col := 1, 1
	i := 0
	lastEnd := -1
	emit := func(kind byte, text string, p pos, start int) {
		toks = append(toks, tomlTok{kind: kind, text: text, pos: p, glue: start == lastEnd})
	}
	advance := func(n int) {
		for n > 0 && i < len(src) {
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == '\n' {
				line++
				col = 1
			} else {
				col++
			}
			i += size
			n -= size
		}
	}
	for i < len(src) {
		c := src[i]
		start := i
		p := pos{line, col}
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			advance(1)
			continue
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				advance(1)
			}
			continue
		case c == '\n':
			emit('\n', "", p, start)
			advance(1)
		case strings.ContainsRune("[]{}=,.", rune(c)):
			emit(c, string(c), p, start)
			advance(1)
		case c == '"' || c == '\'':
			quote := string(c)
			if strings.HasPrefix(src[i:], quote+quote+quote) {
				end := strings.Index(src[i+3:], quote+quote+quote)
				if end < 0 {
					end = len(src) - i - 3
				}
				n := 3 + end + 3
				for n < len(src)-i && src[i+n] == c { // """" closes with extra quotes
					n++
				}
				emit('s', "", p, start)
				advance(n)
			} else {
				j := i + 1
				for j < len(src) && src[j] != c && src[j] != '\n' {
					if c == '"' && src[j] == '\\' {
						j++
					}
					j++
				}
				text := src[i+1 : min(j, len(src))]
				if c == '"' {
					if u, err := strconv.Unquote(src[i:min(j+1, len(src))]); err == nil {
						text = u
					}
				}
				emit('s', text, p, start)
				advance(j + 1 - i)
			}
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t\r\n#[]{}=,", rune(src[j])) {
				if src[j] == '.' && isKeyStart(toks) {
					break
				}
				j++
			}
			if j == i {
				j = i + 1
			}
			emit('k', src[i:j], p, start)
			advance(j - i)
		}
		lastEnd = i
	}
	return toks
}

// isKeyStart reports whether the scanner is reading a key (where dots split
// parts) rather than a value (where a dot belongs to a number like 1.5).
func isKeyStart(toks []tomlTok) bool {
	for k := len(toks) - 1; k >= 0; k-- {
		switch toks[k].kind {
		case '=':
			return false
		case '\n', '{', ',', '[':
			return true
		}
	}
	return true
}
