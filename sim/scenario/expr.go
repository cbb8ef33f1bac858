package scenario

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// An exprError is a guard that does not parse; Offset is a byte offset into
// the guard's text, so the loader can point at the exact column.
type exprError struct {
	Offset int
	Msg    string
}

func (e *exprError) Error() string { return e.Msg }

// compileGuard parses src, resolving names with slot. slot returns false for
// an unknown name.
func compileGuard(src string, slot func(name string) (int, bool)) (*sim.Guard, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	p := &exprParser{src: src, slot: slot}
	p.lex()
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.text != "" {
		return nil, &exprError{t.off, fmt.Sprintf("unexpected %q in condition %q; join conditions with and / or", t.text, src)}
	}
	return &sim.Guard{Src: src, Root: root}, nil
}

type exprTok struct {
	text string
	off  int
}

type exprParser struct {
	src  string
	toks []exprTok
	i    int
	slot func(string) (int, bool)
}

func (p *exprParser) lex() {
	s := p.src
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case strings.ContainsRune("<>=!", rune(c)):
			j := i + 1
			if j < len(s) && s[j] == '=' {
				j++
			}
			p.toks = append(p.toks, exprTok{s[i:j], i})
			i = j
		case c == '(' || c == ')':
			p.toks = append(p.toks, exprTok{s[i : i+1], i})
			i++
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t<>=!()", rune(s[j])) {
				j++
			}
			p.toks = append(p.toks, exprTok{s[i:j], i})
			i = j
		}
	}
}

func (p *exprParser) peek() exprTok {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return exprTok{"", len(p.src)}
}

func (p *exprParser) next() exprTok { t := p.peek(); p.i++; return t }

func (p *exprParser) or() (sim.Node, error) {
	x, err := p.and()
	for err == nil && p.peek().text == "or" {
		p.next()
		var y sim.Node
		if y, err = p.and(); err == nil {
			x = sim.Or{X: x, Y: y}
		}
	}
	return x, err
}

func (p *exprParser) and() (sim.Node, error) {
	x, err := p.unary()
	for err == nil && p.peek().text == "and" {
		p.next()
		var y sim.Node
		if y, err = p.unary(); err == nil {
			x = sim.And{X: x, Y: y}
		}
	}
	return x, err
}

func (p *exprParser) unary() (sim.Node, error) {
	if p.peek().text == "not" {
		p.next()
		x, err := p.unary()
		return sim.Not{X: x}, err
	}
	x, err := p.term()
	if err != nil {
		return nil, err
	}
	switch op := p.peek(); op.text {
	case "<", "<=", ">", ">=", "==", "!=":
		p.next()
		y, err := p.term()
		return sim.Cmp{Op: op.text, X: x, Y: y}, err
	case "=", "!":
		return nil, &exprError{op.off, fmt.Sprintf("%q is not a comparison; use == to compare", op.text)}
	}
	return x, nil
}

func (p *exprParser) term() (sim.Node, error) {
	t := p.next()
	switch {
	case t.text == "":
		return nil, &exprError{t.off, fmt.Sprintf("condition %q ends too early; expected a name or a number", p.src)}
	case t.text == "(":
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.text != ")" {
			return nil, &exprError{c.off, "missing ) to close the ( at column " + strconv.Itoa(t.off+1) + " of the condition"}
		}
		return x, nil
	case t.text[0] == '-' || (t.text[0] >= '0' && t.text[0] <= '9'):
		n, err := strconv.Atoi(t.text)
		if err != nil {
			return nil, &exprError{t.off, fmt.Sprintf("%q is not a whole number", t.text)}
		}
		return sim.Const(n), nil
	case t.text == "true":
		return sim.Const(1), nil
	case t.text == "false":
		return sim.Const(0), nil
	}
	if n, ok := p.slot(t.text); ok {
		return sim.Var(n), nil
	}
	return nil, &exprError{t.off, fmt.Sprintf("unknown name %q in condition", t.text)}
}
