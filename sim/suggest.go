package sim

// Suggest returns the name nearest to s by edit distance, if it is within
// maxDist: the one "did you mean" helper for acts, keys, states and facts.
// Callers choose the distance: act names are long and few, so they allow 3;
// an author's own names allow a third of their length.
func Suggest(s string, names []string, maxDist int) (string, bool) {
	best, bestD := "", 1<<30
	for _, n := range names {
		if d := editDistance(s, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best, bestD <= maxDist
}

// editDistance is the Levenshtein distance, used to suggest names for typos.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
