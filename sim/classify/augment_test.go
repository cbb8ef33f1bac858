package classify

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestChatCopy: the typed copy of a training line is a pure function of
// the line, keeps its words in order, and adds no question mark to a line
// that asks nothing.
func TestChatCopy(t *testing.T) {
	lines := []string{
		"How many trucks do you run today?",
		"We'll waive the implementation fee.",
		"I can't hold this price past Friday.",
		"So, if I heard you right, your team re-keys every order by hand.",
		"ok",
	}
	changed := 0
	for _, l := range lines {
		a, b := chatCopy(l, 0), chatCopy(l, 0)
		assert.Equal(t, a, b, "the same line gives the same copy")
		if a != l {
			changed++
		}
		if !strings.Contains(l, "?") {
			assert.NotContains(t, a, "?", "%q -> %q", l, a)
		}
		assert.GreaterOrEqual(t, len(strings.Fields(a)), len(strings.Fields(l)), "%q -> %q", l, a)
	}
	assert.Greater(t, changed, 2, "most lines are typed differently")
}

func TestSlip(t *testing.T) {
	r := newTestRand()
	for _, w := range []string{"budget", "implementation", "hours"} {
		for range 20 {
			s := slip(w, r)
			assert.Equal(t, w[0], s[0], "never the first letter")
			assert.Contains(t, []int{len(w), len(w) - 1}, len(s))
		}
	}
	for _, w := range []string{"cost", "20k", "don't"} {
		assert.Equal(t, w, slip(w, r), "short words, numbers and contractions are left as they are")
	}
}

func newTestRand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }
