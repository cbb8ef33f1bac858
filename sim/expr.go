package sim

import (
	"fmt"
	"strconv"
	"strings"
)

// A guard is a small condition written by a scenario author, such as
// "trust >= 60 and pains >= 1". Names are the conversation's variables:
// meters, fact ids (1 once revealed) and the counters listed in builtinVars.
// Guards are compiled once, at load time, to a tree that reads variables by
// slot, so evaluating one during a turn allocates nothing.
type guard struct {
	src  string
	root node
}

type node interface{ eval(vars []int) int }

type (
	constNode int
	varNode   int // slot
	notNode   struct{ x node }
	andNode   struct{ x, y node }
	orNode    struct{ x, y node }
	cmpNode   struct {
		op   string
		x, y node
	}
)

func (n constNode) eval([]int) int { return int(n) }
func (n varNode) eval(v []int) int { return v[n] }
func (n notNode) eval(v []int) int { return b2i(n.x.eval(v) == 0) }
func (n andNode) eval(v []int) int { return b2i(n.x.eval(v) != 0 && n.y.eval(v) != 0) }
func (n orNode) eval(v []int) int  { return b2i(n.x.eval(v) != 0 || n.y.eval(v) != 0) }
func (n cmpNode) eval(vars []int) int {
	a, b := n.x.eval(vars), n.y.eval(vars)
	switch n.op {
	case "<":
		return b2i(a < b)
	case "<=":
		return b2i(a <= b)
	case ">":
		return b2i(a > b)
	case ">=":
		return b2i(a >= b)
	case "==":
		return b2i(a == b)
	default:
		return b2i(a != b)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// holds reports whether the guard is true; an empty guard always holds.
func (g *guard) holds(vars []int) bool { return g == nil || g.root == nil || g.root.eval(vars) != 0 }

// An exprError is a guard that does not parse; Offset is a byte offset into
// the guard's text, so the loader can point at the exact column.
type exprError struct {
	Offset int
	Msg    string
}

func (e *exprError) Error() string { return e.Msg }

// compileGuard parses src, resolving names with slot. slot returns false for
// an unknown name.
func compileGuard(src string, slot func(name string) (int, bool)) (*guard, error) {
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
	return &guard{src: src, root: root}, nil
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

func (p *exprParser) or() (node, error) {
	x, err := p.and()
	for err == nil && p.peek().text == "or" {
		p.next()
		var y node
		if y, err = p.and(); err == nil {
			x = orNode{x, y}
		}
	}
	return x, err
}

func (p *exprParser) and() (node, error) {
	x, err := p.unary()
	for err == nil && p.peek().text == "and" {
		p.next()
		var y node
		if y, err = p.unary(); err == nil {
			x = andNode{x, y}
		}
	}
	return x, err
}

func (p *exprParser) unary() (node, error) {
	if p.peek().text == "not" {
		p.next()
		x, err := p.unary()
		return notNode{x}, err
	}
	x, err := p.term()
	if err != nil {
		return nil, err
	}
	switch op := p.peek(); op.text {
	case "<", "<=", ">", ">=", "==", "!=":
		p.next()
		y, err := p.term()
		return cmpNode{op.text, x, y}, err
	case "=", "!":
		return nil, &exprError{op.off, fmt.Sprintf("%q is not a comparison; use == to compare", op.text)}
	}
	return x, nil
}

func (p *exprParser) term() (node, error) {
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
		return constNode(n), nil
	case t.text == "true":
		return constNode(1), nil
	case t.text == "false":
		return constNode(0), nil
	}
	if n, ok := p.slot(t.text); ok {
		return varNode(n), nil
	}
	return nil, &exprError{t.off, fmt.Sprintf("unknown name %q in condition", t.text)}
}
