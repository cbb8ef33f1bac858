package sim

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// The export of corrections: every line a trainee said was read wrong,
// labelled as they meant it, in the classifier corpus's format
// (sim/classify/corpus/train.txt: labels<TAB>sentence), for the next
// training round. A trainer reads it before adding any line to the corpus.

// A CallLister lists calls and reads one: what the export needs of a store.
type CallLister interface {
	ListCalls(ctx context.Context, f CallFilter) ([]CallSummary, error)
	Call(ctx context.Context, id string) (*Call, error)
}

// CorrectedCalls returns the calls f selects that have corrected turns,
// whole, in the list's order (by start, then id).
func CorrectedCalls(ctx context.Context, s CallLister, f CallFilter) ([]*Call, error) {
	list, err := s.ListCalls(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list calls: %w", err)
	}
	var out []*Call
	for _, sum := range list {
		if sum.Corrections == 0 {
			continue
		}
		c, err := s.Call(ctx, sum.ID)
		if err != nil {
			return nil, fmt.Errorf("read call %s: %w", sum.ID, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// WriteCorrections writes the corrected turns of calls as labelled
// sentences: a comment header, then per turn a comment naming the call,
// the turn, the classifier version and what it read, and the line. A
// sentence labelled the same way twice is written once. It returns how
// many lines it wrote.
func WriteCorrections(w io.Writer, calls []*Call) (int, error) {
	type entry struct{ comment, line string }
	var entries []entry
	seen := map[string]bool{}
	for _, c := range calls {
		for _, t := range c.Turns {
			if t.Override == nil {
				continue
			}
			text := strings.Join(strings.Fields(t.Said), " ") // one line, no tabs
			line := corpusLabels(t.Acts) + "\t" + text
			if text == "" || seen[line] {
				continue
			}
			seen[line] = true
			reader := t.Reader
			if reader == "" {
				reader = "an unnamed classifier"
			}
			entries = append(entries, entry{
				comment: fmt.Sprintf("# call %s (%s) turn %d: %s read %s", c.ID, c.Scenario, t.N, reader, corpusLabels(t.Override.Read)),
				line:    line,
			})
		}
	}
	var b strings.Builder
	b.WriteString(`# Corrected readings: lines trainees said were read wrong, labelled with
# the acts they meant, for the classifier's next training round.
# Format of sim/classify/corpus/train.txt: labels<TAB>sentence, labels
# comma-separated act names ("concession+conditional" for a trade).
# Above each line: the call, its turn, and what the classifier read then.
# Read every line before adding it to the corpus: a trainee can be wrong too.
`)
	fmt.Fprintf(&b, "# %s from %s.\n", Plural(len(entries), "line"), Plural(len(calls), "call"))
	for _, e := range entries {
		b.WriteString("\n" + e.comment + "\n" + e.line + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return len(entries), err
}

// corpusLabels writes the acts of dets as the corpus labels a sentence.
func corpusLabels(dets []Detection) string {
	var labels []string
	seen := map[string]bool{}
	for _, d := range dets {
		l := d.Act.String()
		if d.Act == Concession && d.Conditional {
			l += "+conditional"
		}
		if !seen[l] {
			seen[l] = true
			labels = append(labels, l)
		}
	}
	if len(labels) == 0 {
		return Other.String()
	}
	return strings.Join(labels, ",")
}
