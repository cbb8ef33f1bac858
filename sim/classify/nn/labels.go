package nn

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Acts are the output labels, in the order of sim.Act.
var Acts = []string{
	"other", "situation", "problem", "implication", "need_payoff",
	"qualify_budget", "qualify_authority", "qualify_timeline", "qualify_process",
	"qualify_metrics", "qualify_champion",
	"pitch", "concession", "pressure", "dismissive",
	"close", "summary", "empathy",
}

// NumActs is the number of outputs.
var NumActs = len(Acts)

func actIndex(name string) int {
	for i, a := range Acts {
		if a == name {
			return i
		}
	}
	return -1
}

// Example is one labelled sentence.
type Example struct {
	Text   string
	Labels []bool    // indexed like Acts
	Extra  []float32 // optional dense features, len = Config.Extra
	Line   int
}

// ParseExamples reads lines "ACTS<TAB>sentence" (ACTS comma-separated; a
// "+conditional" mark is dropped); blank lines and # comments are skipped.
// A bad line is left out and reported in the error, with every other bad
// line, after the good ones are returned.
func ParseExamples(r io.Reader) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	var bad []string
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		labels, text, ok := strings.Cut(line, "\t")
		text = strings.TrimSpace(text)
		if !ok || text == "" {
			bad = append(bad, fmt.Sprintf("line %d: want labels<TAB>sentence", n))
			continue
		}
		ex := Example{Text: text, Labels: make([]bool, NumActs), Line: n}
		ok = true
		for _, l := range strings.Split(labels, ",") {
			name, _, _ := strings.Cut(strings.TrimSpace(l), "+")
			i := actIndex(name)
			if i < 0 {
				bad = append(bad, fmt.Sprintf("line %d: unknown act %q", n, name))
				ok = false
				break
			}
			ex.Labels[i] = true
		}
		if ok {
			out = append(out, ex)
		}
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("line %d: %w", n, err)
	}
	if len(bad) > 0 {
		return out, fmt.Errorf("%d bad lines:\n%s", len(bad), strings.Join(bad, "\n"))
	}
	return out, nil
}
