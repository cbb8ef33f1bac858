package sim

import (
	"strings"
	"time"
)

// Corrections: in training mode a trainee who sees a line read wrong says
// what they meant ("I meant this as a problem question"), and the turn is
// played again with that. The record keeps both readings: Acts are the acts
// played, Override.Read what the classifier read, so a replay plays what
// was meant and stays deterministic, the report marks the turn, and the
// corrected lines become labelled sentences for the next training round.

// An Override is a trainee's correction of how one turn was read.
type Override struct {
	// Read is what the classifier read; the turn's Acts are what the
	// trainee meant and what was played.
	Read []Detection `json:"read"`
	// By is who corrected it: the signed-in user's name, "" for anonymous practice.
	By string    `json:"by,omitempty"`
	At time.Time `json:"at"`
}

// A Correction is one overridden turn as the report shows it.
type Correction struct {
	Turn  int    `json:"turn"`
	Said  string `json:"said"`
	Read  []Act  `json:"read"`  // the acts the classifier read
	Meant []Act  `json:"meant"` // the acts the trainee meant, played instead
}

// CheckMeant returns an EInvalid *Error saying why acts cannot be what a
// trainee meant a line as, or nil: a correction names at least one act,
// each once, and never unclear (which is the classifier's doubt, not a
// meaning).
func CheckMeant(acts []Act) error {
	if len(acts) == 0 {
		return Errorf(EInvalid, "say what you meant: choose at least one act")
	}
	seen := map[Act]bool{}
	for _, a := range acts {
		switch {
		case a >= NumActs:
			return Errorf(EInvalid, "%s is not an act", a)
		case a == Unclear:
			return Errorf(EInvalid, "%q is not something a line can mean; choose the act you meant", Unclear.String())
		case seen[a]:
			return Errorf(EInvalid, "%s is chosen twice", a)
		}
		seen[a] = true
	}
	return nil
}

// Meant is the detections to play for a line said and read as read, when
// the trainee meant acts. An act that was read already keeps its detection
// (its sentence, cues, and a concession's terms); any other is the whole
// line, sure (confidence 1), with no cues, a question if the line asks one.
func Meant(said string, read []Detection, acts []Act) []Detection {
	question := strings.Contains(said, "?")
	for _, d := range read {
		question = question || d.Question
	}
	out := make([]Detection, 0, len(acts))
	for _, a := range acts {
		d := Detection{Act: a, Confidence: 1, Cues: []string{}, Sentence: said, Question: question}
		for _, r := range read {
			if r.Act == a {
				d = r
				break
			}
		}
		out = append(out, d)
	}
	return out
}

// Correct takes one trainee turn played with the acts the trainee meant
// (see Meant) where the classifier read read: Play, with the turn marked
// as corrected (Turn.Read) for the report.
func (c *Conversation) Correct(text string, acts, read []Detection) (Turn, error) {
	t, err := c.Play(text, acts)
	if err != nil {
		return Turn{}, err
	}
	t.Read = read
	c.turns[len(c.turns)-1].Read = read
	return t, nil
}

// CorrectionsOf lists the corrected turns among turns, in order.
func CorrectionsOf(turns []Turn) []Correction {
	var out []Correction
	for _, t := range turns {
		if t.Read == nil {
			continue
		}
		out = append(out, Correction{Turn: t.N, Said: t.Said, Read: actList(t.Read), Meant: actList(t.Acts)})
	}
	return out
}

// actList is the distinct acts of dets, in order.
func actList(dets []Detection) []Act {
	out := []Act{}
	for _, d := range dets {
		dup := false
		for _, a := range out {
			dup = dup || a == d.Act
		}
		if !dup {
			out = append(out, d.Act)
		}
	}
	return out
}

// ActNames writes acts as their names joined by commas, as the
// classifier's corpus labels a sentence: "problem,situation".
func ActNames(acts []Act) string {
	names := make([]string, len(acts))
	for i, a := range acts {
		names[i] = a.String()
	}
	return strings.Join(names, ",")
}
