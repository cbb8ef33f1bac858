package sim

// A Guard is a small condition written by a scenario author, such as
// "trust >= 60 and pains >= 1". Names are the conversation's variables:
// meters, fact ids (1 once revealed) and the counters listed in builtinVars.
// Guards are compiled once, at load time (sim/scenario parses them), to a
// tree that reads variables by slot, so evaluating one during a turn
// allocates nothing.
type Guard struct {
	Src  string
	Root Node
}

// A Node is one part of a compiled guard; it evaluates to a whole number
// (0 is false).
type Node interface{ Eval(vars []int) int }

// The nodes of a guard.
type (
	Const int // a number
	Var   int // the variable in this slot (see Scenario.Slot)
	Not   struct{ X Node }
	And   struct{ X, Y Node }
	Or    struct{ X, Y Node }
	Cmp   struct {
		Op   string // <, <=, >, >=, == or !=
		X, Y Node
	}
)

func (n Const) Eval([]int) int { return int(n) }
func (n Var) Eval(v []int) int { return v[n] }
func (n Not) Eval(v []int) int { return b2i(n.X.Eval(v) == 0) }
func (n And) Eval(v []int) int { return b2i(n.X.Eval(v) != 0 && n.Y.Eval(v) != 0) }
func (n Or) Eval(v []int) int  { return b2i(n.X.Eval(v) != 0 || n.Y.Eval(v) != 0) }
func (n Cmp) Eval(vars []int) int {
	a, b := n.X.Eval(vars), n.Y.Eval(vars)
	switch n.Op {
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

// Holds reports whether the guard is true; an empty guard always holds.
func (g *Guard) Holds(vars []int) bool { return g == nil || g.Root == nil || g.Root.Eval(vars) != 0 }
