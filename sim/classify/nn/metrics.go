package nn

import (
	"fmt"
	"sort"
	"strings"
)

// Score counts one act's hits and misses.
type Score struct{ TP, FP, FN int }

// PRF returns precision, recall and F1 (0 when undefined).
func (s Score) PRF() (p, r, f float64) {
	if s.TP+s.FP > 0 {
		p = float64(s.TP) / float64(s.TP+s.FP)
	}
	if s.TP+s.FN > 0 {
		r = float64(s.TP) / float64(s.TP+s.FN)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

// Scores counts per act over gold and predicted label sets.
func Scores(gold, pred [][]bool) []Score {
	s := make([]Score, NumActs)
	for i := range gold {
		for a := 0; a < NumActs; a++ {
			switch {
			case gold[i][a] && pred[i][a]:
				s[a].TP++
			case pred[i][a]:
				s[a].FP++
			case gold[i][a]:
				s[a].FN++
			}
		}
	}
	return s
}

// MacroF1 averages F1 over the acts present in gold (as the repo's
// evaluation does).
func MacroF1(gold, pred [][]bool) float64 {
	sum, n := 0.0, 0
	for _, s := range Scores(gold, pred) {
		if s.TP+s.FN == 0 {
			continue
		}
		_, _, f := s.PRF()
		sum += f
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// ExactMatch is the share of lines whose predicted set equals the gold set.
func ExactMatch(gold, pred [][]bool) float64 {
	ok := 0
	for i := range gold {
		same := true
		for a := range gold[i] {
			if gold[i][a] != pred[i][a] {
				same = false
				break
			}
		}
		if same {
			ok++
		}
	}
	return float64(ok) / float64(max(len(gold), 1))
}

// ScoreTable prints per-act precision, recall and F1.
func ScoreTable(gold, pred [][]bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-18s %5s %5s %5s %4s\n", "act", "prec", "rec", "f1", "n")
	for a, s := range Scores(gold, pred) {
		if s.TP+s.FN == 0 && s.FP == 0 {
			continue
		}
		p, r, f := s.PRF()
		fmt.Fprintf(&b, "%-18s %5.2f %5.2f %5.2f %4d\n", Acts[a], p, r, f, s.TP+s.FN)
	}
	return b.String()
}

// Confusions lists the most frequent (gold act missed, act predicted
// instead) pairs, at most k.
func Confusions(gold, pred [][]bool, k int) string {
	type pair struct {
		want, got int
		n         int
	}
	counts := map[[2]int]int{}
	for i := range gold {
		for a := range gold[i] {
			if !gold[i][a] || pred[i][a] {
				continue
			}
			for b := range pred[i] {
				if pred[i][b] && !gold[i][b] {
					counts[[2]int{a, b}]++
				}
			}
		}
	}
	var ps []pair
	for k, n := range counts {
		ps = append(ps, pair{k[0], k[1], n})
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].n != ps[j].n {
			return ps[i].n > ps[j].n
		}
		if ps[i].want != ps[j].want {
			return ps[i].want < ps[j].want
		}
		return ps[i].got < ps[j].got
	})
	var b strings.Builder
	for i, p := range ps {
		if i == k {
			break
		}
		fmt.Fprintf(&b, "%3d  %s read as %s\n", p.n, Acts[p.want], Acts[p.got])
	}
	return b.String()
}
