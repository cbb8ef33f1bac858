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
	return callsWhere(ctx, s, f, func(sum CallSummary) bool { return sum.Corrections > 0 }, nil)
}

// callsWhere returns the calls f selects whose summary passes listed (all
// if nil) and which then pass keep (all if nil), whole, in the list's
// order.
func callsWhere(ctx context.Context, s CallLister, f CallFilter, listed func(CallSummary) bool, keep func(*Call) bool) ([]*Call, error) {
	list, err := s.ListCalls(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list calls: %w", err)
	}
	var out []*Call
	for _, sum := range list {
		if listed != nil && !listed(sum) {
			continue
		}
		c, err := s.Call(ctx, sum.ID)
		if err != nil {
			return nil, fmt.Errorf("read call %s: %w", sum.ID, err)
		}
		if keep == nil || keep(c) {
			out = append(out, c)
		}
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

// The export of unsure readings: every sentence the classifier was not
// sure of (read as Unclear) in turns no one corrected since, for a person
// to label for the next training round: the lines the model most needs
// to learn from.

// UnsureCalls returns the calls f selects, whole, in the list's order,
// that hold a turn read as Unclear and not corrected.
func UnsureCalls(ctx context.Context, s CallLister, f CallFilter) ([]*Call, error) {
	return callsWhere(ctx, s, f, nil, func(c *Call) bool {
		for _, t := range c.Turns {
			if unsureTurn(t) {
				return true
			}
		}
		return false
	})
}

func unsureTurn(t TurnRecord) bool {
	if t.Override != nil {
		return false
	}
	for _, d := range t.Acts {
		if d.Act == Unclear {
			return true
		}
	}
	return false
}

// WriteUnsure writes the sentences read as Unclear in the uncorrected
// turns of calls, each labelled "unclear", which the corpus refuses
// until a person writes the acts in its place: a comment header, then per
// sentence a comment naming the call, the turn, the classifier version
// and the words its best guess rested on. A sentence is written once. It
// returns how many it wrote.
func WriteUnsure(w io.Writer, calls []*Call) (int, error) {
	type entry struct{ comment, line string }
	var entries []entry
	seen := map[string]bool{}
	for _, c := range calls {
		for _, t := range c.Turns {
			if !unsureTurn(t) {
				continue
			}
			for _, d := range t.Acts {
				text := strings.Join(strings.Fields(d.Sentence), " ")
				if d.Act != Unclear || text == "" || seen[text] {
					continue
				}
				seen[text] = true
				reader := t.Reader
				if reader == "" {
					reader = "an unnamed classifier"
				}
				comment := fmt.Sprintf("# call %s (%s) turn %d: %s was unsure", c.ID, c.Scenario, t.N, reader)
				if len(d.Cues) > 0 {
					quoted := make([]string, len(d.Cues))
					for i, cue := range d.Cues {
						quoted[i] = fmt.Sprintf("%q", cue)
					}
					comment += "; its best guess rested on " + strings.Join(quoted, ", ")
				}
				entries = append(entries, entry{comment: comment, line: Unclear.String() + "\t" + text})
			}
		}
	}
	var b strings.Builder
	b.WriteString(`# Unsure readings: sentences the classifier was not sure of (read as
# unclear) in turns no one corrected, for a person to label for the
# classifier's next training round. Each is labelled "unclear", which the
# corpus refuses: write the acts the sentence does in its place
# (labels<TAB>sentence, as sim/classify/corpus/train.txt), or leave it out.
# Above each: the call, its turn, the classifier version, and the words
# its best guess rested on.
`)
	fmt.Fprintf(&b, "# %s from %s.\n", Plural(len(entries), "sentence"), Plural(len(calls), "call"))
	for _, e := range entries {
		b.WriteString("\n" + e.comment + "\n" + e.line + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return len(entries), err
}
