package sim

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The trainer's side of a call: who may see it, how calls are listed, and
// what a trainer adds to one (comments on turns, a score of their own kept
// beside the automatic grade, never replacing it).

// MaySee reports whether v may see the calls of trainee (nil for an
// anonymous call, or a trainee who is no longer a user): an admin sees
// every call, a trainer those of the trainees in their teams and their own,
// a trainee only their own.
func (v *User) MaySee(trainee *User) bool {
	switch {
	case v == nil || v.Disabled:
		return false
	case v.Role == Admin:
		return true
	case trainee == nil:
		return false
	case trainee.Name == v.Name:
		return true
	case v.Role == Trainer:
		for _, t := range trainee.Teams {
			if v.InTeam(t) {
				return true
			}
		}
	}
	return false
}

// MayReview reports whether v may comment on and score the calls of
// trainee: trainers and admins who may see them, never on their own calls.
func (v *User) MayReview(trainee *User) bool {
	if v == nil || v.Role == Trainee || !v.MaySee(trainee) {
		return false
	}
	return trainee == nil || trainee.Name != v.Name
}

// Visible returns the names of the users among all whose calls v may see.
func (v *User) Visible(all []*User) []string {
	out := []string{}
	for _, u := range all {
		if v.MaySee(u) {
			out = append(out, u.Name)
		}
	}
	return out
}

// CallFilter is what a store selects calls by. The store applies only
// these; the rest of a CallQuery is applied by Apply on what it returns.
type CallFilter struct {
	// Everyone selects calls by any trainee, anonymous calls included;
	// otherwise only the calls of the trainees named in Trainees.
	Everyone bool
	Trainees []string
	Scenario string // "" any
	Mode     Mode   // "" any
	// From and To bound the start time: From <= started < To; zero is open.
	From, To time.Time
}

// A CallSummary is a call without its turns: what a list of calls shows.
type CallSummary struct {
	Call      // Turns is nil; Report is set once the call ended with one
	TurnCount int
	// Corrections counts the turns the trainee corrected the reading of.
	Corrections int
}

// Unfinished is the outcome a CallQuery uses for calls still in progress.
const Unfinished Outcome = "unfinished"

// Outcome is the call's outcome, Unfinished while it is in progress or
// when it has no report.
func (c *CallSummary) Outcome() Outcome {
	if c.Report == nil {
		return Unfinished
	}
	return c.Report.Outcome
}

// Duration is how long the call lasted, 0 while it is in progress.
func (c *CallSummary) Duration() time.Duration {
	if c.Ended.IsZero() {
		return 0
	}
	return c.Ended.Sub(c.Started)
}

// The orders a CallQuery sorts by; a "-" before one reverses it.
var callSorts = map[string]func(a, b *CallSummary) int{
	"started":  func(a, b *CallSummary) int { return a.Started.Compare(b.Started) },
	"trainee":  func(a, b *CallSummary) int { return strings.Compare(a.Trainee, b.Trainee) },
	"scenario": func(a, b *CallSummary) int { return strings.Compare(a.Scenario, b.Scenario) },
	"duration": func(a, b *CallSummary) int { return cmp.Compare(a.Duration(), b.Duration()) },
	"turns":    func(a, b *CallSummary) int { return cmp.Compare(a.TurnCount, b.TurnCount) },
	"score":    func(a, b *CallSummary) int { return cmp.Compare(reportScore(a, scoreOf), reportScore(b, scoreOf)) },
	"customer_focus": func(a, b *CallSummary) int {
		return cmp.Compare(reportScore(a, customerFocusOf), reportScore(b, customerFocusOf))
	},
	"self_focus": func(a, b *CallSummary) int {
		return cmp.Compare(reportScore(a, selfFocusOf), reportScore(b, selfFocusOf))
	},
}

func scoreOf(r *Report) int         { return r.Score }
func customerFocusOf(r *Report) int { return r.CustomerFocus }
func selfFocusOf(r *Report) int     { return r.SelfFocus }

// reportScore is a score of the call's report; a call without one sorts first.
func reportScore(c *CallSummary, f func(*Report) int) int {
	if c.Report == nil {
		return -1
	}
	return f(c.Report)
}

// MaxPerPage bounds a page of calls.
const MaxPerPage = 500

// A CallQuery is a list of calls as a trainer asks for it: a filter, the
// outcome and profile (read from the reports), an order and a page.
type CallQuery struct {
	Filter  CallFilter
	Outcome Outcome // "" any
	Profile Profile // "" any
	Sort    string  // a key of callSorts, "-" before it for descending; "" is "-started"
	Page    int     // from 1; 0 is 1
	PerPage int     // 0 is 50; at most MaxPerPage; -1 is every call (exports)
}

// Check returns an EInvalid *Error saying what is wrong with q, or nil.
func (q *CallQuery) Check() error {
	switch q.Outcome {
	case "", Won, Lost, Open, Unfinished:
	default:
		return Errorf(EInvalid, "an outcome is won, lost, open or unfinished, not %q", q.Outcome)
	}
	switch q.Profile {
	case "", Balanced, Yielding, SelfFocused, Passive:
	default:
		return Errorf(EInvalid, "a profile is balanced, yielding, self_focused or passive, not %q", q.Profile)
	}
	switch q.Filter.Mode {
	case "", Training, AssessmentMode:
	default:
		return Errorf(EInvalid, "a mode is training or assessment, not %q", q.Filter.Mode)
	}
	if _, ok := callSorts[strings.TrimPrefix(q.Sort, "-")]; q.Sort != "" && !ok {
		keys := make([]string, 0, len(callSorts))
		for k := range callSorts {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return Errorf(EInvalid, "calls sort by %s (a '-' before it reverses the order), not %q", strings.Join(keys, ", "), q.Sort)
	}
	if q.Page < 0 || q.PerPage < -1 || q.PerPage > MaxPerPage {
		return Errorf(EInvalid, "a page is numbered from 1 and holds 1 to %d calls", MaxPerPage)
	}
	return nil
}

// Apply filters calls (as a store returned them for q.Filter) by outcome
// and profile, sorts them, and returns q's page and how many calls match
// in all. Ties keep the store's order (by start, then id), so pages never
// overlap.
func (q *CallQuery) Apply(calls []CallSummary) ([]CallSummary, int) {
	var out []CallSummary
	for _, c := range calls {
		if q.Outcome != "" && c.Outcome() != q.Outcome {
			continue
		}
		if q.Profile != "" && (c.Report == nil || c.Report.Profile != q.Profile) {
			continue
		}
		out = append(out, c)
	}
	key, desc := q.Sort, false
	if key == "" {
		key = "-started"
	}
	if strings.HasPrefix(key, "-") {
		key, desc = key[1:], true
	}
	by := callSorts[key]
	slices.SortStableFunc(out, func(a, b CallSummary) int {
		if desc {
			return by(&b, &a)
		}
		return by(&a, &b)
	})
	total := len(out)
	if q.PerPage == -1 {
		return out, total
	}
	per, page := cmp.Or(q.PerPage, 50), max(q.Page, 1)
	lo := min((page-1)*per, total)
	return out[lo:min(lo+per, total)], total
}

// MaxCommentLength bounds a trainer's comment, in bytes.
const MaxCommentLength = 4000

// A Comment is a trainer's note on one turn of a call (Turn 0: on the call
// as a whole).
type Comment struct {
	ID     string    `json:"id"`
	Call   string    `json:"call"`
	Turn   int       `json:"turn"`
	Author string    `json:"author"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
}

// Check returns an EInvalid *Error saying what makes c unfit to be stored, or nil.
func (c *Comment) Check() error {
	switch {
	case c.ID == "" || c.Call == "" || c.Author == "":
		return Errorf(EInvalid, "a comment needs an id, a call and an author")
	case c.Turn < 0:
		return Errorf(EInvalid, "a comment is on turn 1, 2, ... or on the call (turn 0), not turn %d", c.Turn)
	case strings.TrimSpace(c.Text) == "":
		return Errorf(EInvalid, "the comment is empty")
	case len(c.Text) > MaxCommentLength:
		return Errorf(EInvalid, "a comment is at most %d bytes long", MaxCommentLength)
	case !utf8.ValidString(c.Text) || strings.ContainsRune(c.Text, 0):
		return Errorf(EInvalid, "a comment must be text without NUL characters")
	}
	return checkTime("comment", c.At)
}

// A TrainerScore is a trainer's own score of a call, 0 to 100, with why.
// It is kept beside the automatic grade; the report never changes.
type TrainerScore struct {
	Call   string    `json:"call"`
	Author string    `json:"author"`
	Score  int       `json:"score"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// Check returns an EInvalid *Error saying what makes s unfit to be stored, or nil.
func (s *TrainerScore) Check() error {
	switch {
	case s.Call == "" || s.Author == "":
		return Errorf(EInvalid, "a trainer's score needs a call and an author")
	case s.Score < 0 || s.Score > 100:
		return Errorf(EInvalid, "a score is from 0 to 100, not %d", s.Score)
	case strings.TrimSpace(s.Reason) == "":
		return Errorf(EInvalid, "say why you give this score")
	case len(s.Reason) > MaxCommentLength:
		return Errorf(EInvalid, "a reason is at most %d bytes long", MaxCommentLength)
	case !utf8.ValidString(s.Reason) || strings.ContainsRune(s.Reason, 0):
		return Errorf(EInvalid, "a reason must be text without NUL characters")
	}
	return checkTime("score", s.At)
}

// A ReviewStore lists calls and keeps what trainers add to them.
type ReviewStore interface {
	// ListCalls returns the calls f selects, ordered by start, then id.
	ListCalls(ctx context.Context, f CallFilter) ([]CallSummary, error)
	// AddComment stores c. ENotFound if its call is not stored; EConflict
	// if its id is taken.
	AddComment(ctx context.Context, c Comment) error
	// Comments returns the comments on call id, ordered by time, then id.
	Comments(ctx context.Context, id string) ([]Comment, error)
	// PutTrainerScore stores s, replacing its author's earlier score of
	// the call. ENotFound if the call is not stored.
	PutTrainerScore(ctx context.Context, s TrainerScore) error
	// TrainerScores returns the trainers' scores of call id, ordered by
	// time, then author.
	TrainerScores(ctx context.Context, id string) ([]TrainerScore, error)
}
