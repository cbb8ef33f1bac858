package nn

import (
	"fmt"
	"math"
	"strings"
)

// Reliability bins every (line, act) probability and compares the mean
// prediction in each bin with how often the act was really there. It
// returns the table and the expected calibration error (the bins' gaps
// weighted by their share of predictions).
func Reliability(probs [][]float32, gold [][]bool, bins int) (string, float64) {
	count := make([]int, bins)
	sumP := make([]float64, bins)
	pos := make([]int, bins)
	total := 0
	for i, ps := range probs {
		for a, p := range ps {
			b := min(int(float64(p)*float64(bins)), bins-1)
			count[b]++
			sumP[b] += float64(p)
			if gold[i][a] {
				pos[b]++
			}
			total++
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-11s %6s %6s %6s\n", "predicted", "n", "mean", "actual")
	ece := 0.0
	for b := 0; b < bins; b++ {
		if count[b] == 0 {
			continue
		}
		mean := sumP[b] / float64(count[b])
		actual := float64(pos[b]) / float64(count[b])
		ece += float64(count[b]) / float64(total) * math.Abs(mean-actual)
		fmt.Fprintf(&sb, "%.1f-%.1f    %6d %6.3f %6.3f\n", float64(b)/float64(bins), float64(b+1)/float64(bins), count[b], mean, actual)
	}
	fmt.Fprintf(&sb, "ECE %.4f over %d predictions\n", ece, total)
	return sb.String(), ece
}
