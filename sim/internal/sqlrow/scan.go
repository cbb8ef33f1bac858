package sqlrow

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
)

// ScanCall fills c, whose ID is set, from a row of
// scenario, version, mode, trainee, assessment, token_hash, started,
// deadline, ending, ended, report.
func ScanCall(row Scanner, c *sim.Call) error {
	var (
		started, deadline, ended *int64
		report                   *string
		mode, ending             string
	)
	if err := row.Scan(&c.Scenario, &c.Version, &mode, &c.Trainee, &c.Assessment, &c.TokenHash, &started, &deadline, &ending, &ended, &report); err != nil {
		return err
	}
	c.Mode, c.End = sim.Mode(mode), sim.Ending(ending)
	c.Started, c.Deadline, c.Ended = Time(started), Time(deadline), Time(ended)
	r, err := decodeReport(report)
	if err != nil {
		return fmt.Errorf("decode report: %w", err)
	}
	c.Report = r
	return nil
}

// ScanTurn reads a row of n, said, acts, reader, at, reply, override.
func ScanTurn(row Scanner) (sim.TurnRecord, error) {
	var (
		t        sim.TurnRecord
		acts     string
		at       *int64
		override *string
	)
	if err := row.Scan(&t.N, &t.Said, &acts, &t.Reader, &at, &t.Reply, &override); err != nil {
		return sim.TurnRecord{}, err
	}
	if err := json.Unmarshal([]byte(acts), &t.Acts); err != nil {
		return sim.TurnRecord{}, fmt.Errorf("decode acts of turn %d: %w", t.N, err)
	}
	t.At = Time(at)
	if override != nil {
		t.Override = new(sim.Override)
		if err := json.Unmarshal([]byte(*override), t.Override); err != nil {
			return sim.TurnRecord{}, fmt.Errorf("decode the correction of turn %d: %w", t.N, err)
		}
	}
	return t, nil
}

// ScanCallSummary reads a row of id, scenario, version, mode, trainee,
// assessment, started, deadline, ending, ended, report, turn count,
// corrected turn count.
func ScanCallSummary(row Scanner) (sim.CallSummary, error) {
	var (
		c                        sim.CallSummary
		started, deadline, ended *int64
		report                   *string
		mode, ending             string
	)
	if err := row.Scan(&c.ID, &c.Scenario, &c.Version, &mode, &c.Trainee, &c.Assessment, &started, &deadline, &ending, &ended, &report, &c.TurnCount, &c.Corrections); err != nil {
		return sim.CallSummary{}, err
	}
	c.Mode, c.End = sim.Mode(mode), sim.Ending(ending)
	c.Started, c.Deadline, c.Ended = Time(started), Time(deadline), Time(ended)
	r, err := decodeReport(report)
	if err != nil {
		return sim.CallSummary{}, fmt.Errorf("decode the report of %s: %w", c.ID, err)
	}
	c.Report = r
	return c, nil
}

// ScanComment reads a row of id, call_id, turn, author, text, at.
func ScanComment(row Scanner) (sim.Comment, error) {
	var (
		c  sim.Comment
		at *int64
	)
	if err := row.Scan(&c.ID, &c.Call, &c.Turn, &c.Author, &c.Text, &at); err != nil {
		return sim.Comment{}, err
	}
	c.At = Time(at)
	return c, nil
}

// ScanTrainerScore reads a row of call_id, author, score, reason, at.
func ScanTrainerScore(row Scanner) (sim.TrainerScore, error) {
	var (
		s  sim.TrainerScore
		at *int64
	)
	if err := row.Scan(&s.Call, &s.Author, &s.Score, &s.Reason, &at); err != nil {
		return sim.TrainerScore{}, err
	}
	s.At = Time(at)
	return s, nil
}

// ScanUser reads a row of name, role, password_hash, disabled, created,
// then dest, if any (postgres's teams); Teams is left as dest fills it.
func ScanUser(row Scanner, dest ...any) (*sim.User, error) {
	u := &sim.User{}
	var (
		role    string
		created *int64
	)
	if err := row.Scan(append([]any{&u.Name, &role, &u.PasswordHash, &u.Disabled, &created}, dest...)...); err != nil {
		return nil, err
	}
	u.Role, u.Created = sim.Role(role), Time(created)
	return u, nil
}

// ScanToken reads a row of hash, kind, user (or ""), created, expires.
func ScanToken(row Scanner) (sim.Token, error) {
	var (
		t                sim.Token
		kind             string
		created, expires *int64
	)
	err := row.Scan(&t.Hash, &kind, &t.User, &created, &expires)
	t.Kind, t.Created, t.Expires = sim.TokenKind(kind), Time(created), Time(expires)
	return t, err
}

// ScanAssessment reads a row of id, scenario, version, time_limit,
// instructions, questions, created_by, created.
func ScanAssessment(row Scanner) (*sim.Assessment, error) {
	var (
		a         sim.Assessment
		limit     int64
		questions string
		created   *int64
	)
	if err := row.Scan(&a.ID, &a.Scenario, &a.Version, &limit, &a.Instructions, &questions, &a.CreatedBy, &created); err != nil {
		return nil, err
	}
	a.TimeLimit, a.Created = time.Duration(limit), Time(created)
	if err := json.Unmarshal([]byte(questions), &a.Questions); err != nil {
		return nil, fmt.Errorf("decode questions: %w", err)
	}
	return &a, nil
}

// ScanCandidate reads a row of id, assessment, token_hash, claim_hash,
// expires, status, name, email, call_id, answers, scorecards.
func ScanCandidate(row Scanner) (*sim.Candidate, error) {
	var (
		c               sim.Candidate
		expires         *int64
		status, answers string
		scorecards      string
	)
	if err := row.Scan(&c.ID, &c.Assessment, &c.TokenHash, &c.ClaimHash, &expires, &status, &c.Name, &c.Email, &c.Call, &answers, &scorecards); err != nil {
		return nil, err
	}
	c.Expires, c.Status = Time(expires), sim.CandidateStatus(status)
	if err := json.Unmarshal([]byte(answers), &c.Answers); err != nil {
		return nil, fmt.Errorf("decode answers: %w", err)
	}
	if len(c.Answers) == 0 {
		c.Answers = nil
	}
	if err := json.Unmarshal([]byte(scorecards), &c.Scorecards); err != nil {
		return nil, fmt.Errorf("decode scorecards: %w", err)
	}
	if len(c.Scorecards) == 0 {
		c.Scorecards = nil
	}
	return &c, nil
}

// ScanSignal reads a row of candidate_id, kind, length, turn, at and
// returns the candidate's id with the signal.
func ScanSignal(row Scanner) (string, sim.Signal, error) {
	var (
		id, kind string
		s        sim.Signal
		at       *int64
	)
	if err := row.Scan(&id, &kind, &s.Length, &s.Turn, &at); err != nil {
		return "", sim.Signal{}, err
	}
	s.Kind, s.At = sim.SignalKind(kind), Time(at)
	return id, s, nil
}

// ScanUpload reads a row of scenario id, published (or ""), n, hash,
// by_user, at and adds the upload to out, which is by scenario id.
func ScanUpload(row Scanner, out []sim.UploadedScenario) ([]sim.UploadedScenario, error) {
	var id, published string
	var u sim.Upload
	var at *int64
	if err := row.Scan(&id, &published, &u.N, &u.Hash, &u.By, &at); err != nil {
		return out, err
	}
	u.Scenario, u.At = id, Time(at)
	if len(out) == 0 || out[len(out)-1].ID != id {
		out = append(out, sim.UploadedScenario{ID: id, Published: published})
	}
	s := &out[len(out)-1]
	s.Uploads = append(s.Uploads, u)
	return out, nil
}

// DecodeScorecards is the list of scorecards stored as raw.
func DecodeScorecards(raw string) ([]sim.Scorecard, error) {
	var list []sim.Scorecard
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		return nil, fmt.Errorf("decode scorecards: %w", err)
	}
	return list, nil
}

// Rows is the result of a query, as database/sql and pgx both give it.
type Rows interface {
	Scanner
	Next() bool
	Err() error
}

// Collect scans every row with scan, in order; an empty result is an
// empty slice, not nil. The caller closes rows.
func Collect[T any](rows Rows, scan func(Scanner) (T, error)) ([]T, error) {
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ScanReveal reads a row of assessment, user_name, via, at.
func ScanReveal(row Scanner) (sim.Reveal, error) {
	var (
		r   sim.Reveal
		via string
		at  *int64
	)
	if err := row.Scan(&r.Assessment, &r.User, &via, &at); err != nil {
		return sim.Reveal{}, err
	}
	r.Via, r.At = sim.RevealVia(via), Time(at)
	return r, nil
}
