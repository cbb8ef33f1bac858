package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/internal/sqlrow"
)

// CreateUser stores u and its teams.
func (db *DB) CreateUser(ctx context.Context, u *sim.User) error {
	if err := u.Check(); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO users (name, role, password_hash, disabled, created) VALUES ($1, $2, $3, $4, $5)`,
			u.Name, string(u.Role), u.PasswordHash, u.Disabled, sqlrow.Nanos(u.Created))
		if err != nil {
			return err
		}
		return putTeams(ctx, tx, u)
	})
	if violates(err, uniqueViolation) {
		return sim.Errorf(sim.EConflict, "there is a user named %q already", u.Name)
	}
	return sqlrow.Internal(err, "create user %q", u.Name)
}

func putTeams(ctx context.Context, tx pgx.Tx, u *sim.User) error {
	if _, err := tx.Exec(ctx, `DELETE FROM user_teams WHERE user_name = $1`, u.Name); err != nil {
		return err
	}
	for _, t := range u.Teams {
		if _, err := tx.Exec(ctx, `INSERT INTO user_teams (user_name, team) VALUES ($1, $2)`, u.Name, t); err != nil {
			return err
		}
	}
	return nil
}

// UpdateUser replaces the user of u's name, keeping its creation time.
func (db *DB) UpdateUser(ctx context.Context, u *sim.User) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var created *int64
		err := tx.QueryRow(ctx, `SELECT created FROM users WHERE name = $1 FOR UPDATE`, u.Name).Scan(&created)
		if errors.Is(err, pgx.ErrNoRows) {
			return sim.Errorf(sim.ENotFound, "no user %q", u.Name)
		} else if err != nil {
			return err
		}
		kept := *u
		kept.Created = sqlrow.Time(created)
		if err := kept.Check(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET role = $2, password_hash = $3, disabled = $4 WHERE name = $1`,
			kept.Name, string(kept.Role), kept.PasswordHash, kept.Disabled); err != nil {
			return err
		}
		return putTeams(ctx, tx, &kept)
	})
	return sqlrow.Internal(err, "update user %q", u.Name)
}

// User returns the user named name.
func (db *DB) User(ctx context.Context, name string) (*sim.User, error) {
	users, err := db.users(ctx, name)
	if err != nil {
		return nil, sqlrow.Internal(err, "user %q", name)
	}
	if len(users) == 0 {
		return nil, sim.Errorf(sim.ENotFound, "no user %q", name)
	}
	return users[0], nil
}

// Users returns every user by name.
func (db *DB) Users(ctx context.Context) ([]*sim.User, error) {
	users, err := db.users(ctx, "")
	return users, sqlrow.Internal(err, "users")
}

// users reads the user named name ("": every user) with their teams, by name.
func (db *DB) users(ctx context.Context, name string) ([]*sim.User, error) {
	rows, err := db.pool.Query(ctx, `SELECT u.name, u.role, u.password_hash, u.disabled, u.created,
			coalesce(array_agg(t.team ORDER BY t.team) FILTER (WHERE t.team IS NOT NULL), '{}')
		FROM users u LEFT JOIN user_teams t ON t.user_name = u.name
		WHERE $1 = '' OR u.name = $1
		GROUP BY u.name ORDER BY u.name COLLATE "C"`, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*sim.User{}
	for rows.Next() {
		var teams []string
		u, err := sqlrow.ScanUser(rows, &teams)
		if err != nil {
			return nil, err
		}
		u.Teams = teams
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns how many users there are.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, sqlrow.Internal(err, "count users")
}

// CreateToken stores t.
func (db *DB) CreateToken(ctx context.Context, t sim.Token) error {
	if err := t.Check(); err != nil {
		return err
	}
	var user *string
	if t.User != "" {
		user = &t.User
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO tokens (hash, kind, user_name, created, expires) VALUES ($1, $2, $3, $4, $5)`,
		t.Hash, string(t.Kind), user, sqlrow.Nanos(t.Created), sqlrow.Nanos(t.Expires))
	switch {
	case violates(err, uniqueViolation):
		return sim.Errorf(sim.EConflict, "the token exists already")
	case violates(err, foreignKeyViolation):
		return sim.Errorf(sim.EInvalid, "no user %q to give a token to", t.User)
	}
	return sqlrow.Internal(err, "create token")
}

const tokenColumns = `hash, kind, coalesce(user_name, ''), created, expires`

func scanToken(row pgx.Row) (sim.Token, error) {
	t, err := sqlrow.ScanToken(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return sim.Token{}, sim.Errorf(sim.ENotFound, "no such token")
	}
	return t, err
}

// Token returns the token with the given hash.
func (db *DB) Token(ctx context.Context, hash []byte) (sim.Token, error) {
	t, err := scanToken(db.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, hash))
	return t, sqlrow.Internal(err, "token")
}

// TakeToken deletes the token with the given hash and returns it.
func (db *DB) TakeToken(ctx context.Context, hash []byte) (sim.Token, error) {
	t, err := scanToken(db.pool.QueryRow(ctx, `DELETE FROM tokens WHERE hash = $1 RETURNING `+tokenColumns, hash))
	return t, sqlrow.Internal(err, "take token")
}

// DeleteTokens deletes the tokens of kind held by user.
func (db *DB) DeleteTokens(ctx context.Context, user string, kind sim.TokenKind) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM tokens WHERE user_name = $1 AND kind = $2`, user, string(kind))
	return sqlrow.Internal(err, "delete tokens of %q", user)
}

// Settings returns the settings.
func (db *DB) Settings(ctx context.Context) (sim.Settings, error) {
	var value string
	err := db.pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'settings'`).Scan(&value)
	if errors.Is(err, pgx.ErrNoRows) {
		return sim.DefaultSettings, nil
	} else if err != nil {
		return sim.Settings{}, fmt.Errorf("settings: %w", err)
	}
	s := sim.DefaultSettings // a setting added since keeps its default
	if err := json.Unmarshal([]byte(value), &s); err != nil {
		return sim.Settings{}, fmt.Errorf("settings: decode: %w", err)
	}
	return s, nil
}

// PutSettings replaces the settings.
func (db *DB) PutSettings(ctx context.Context, s sim.Settings) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("put settings: %w", err)
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO settings (key, value) VALUES ('settings', $1)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, string(b))
	return sqlrow.Internal(err, "put settings")
}

// ListCalls returns the calls f selects, by start then id.
func (db *DB) ListCalls(ctx context.Context, f sim.CallFilter) ([]sim.CallSummary, error) {
	var (
		where []string
		args  []any
	)
	arg := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	if !f.Everyone {
		trainees := f.Trainees
		if trainees == nil {
			trainees = []string{}
		}
		arg(`trainee = ANY($?)`, trainees)
	}
	if f.Scenario != "" {
		arg(`scenario = $?`, f.Scenario)
	}
	if f.Mode != "" {
		arg(`mode = $?`, string(f.Mode))
	}
	if !f.From.IsZero() {
		arg(`started >= $?`, f.From.UnixNano())
	}
	if !f.To.IsZero() {
		arg(`started < $?`, f.To.UnixNano())
	}
	q := `SELECT id, scenario, version, mode, trainee, assessment, started, deadline, ending, ended, report,
		(SELECT count(*) FROM turns WHERE call_id = calls.id),
		(SELECT count(*) FROM turns WHERE call_id = calls.id AND override IS NOT NULL) FROM calls`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	rows, err := db.pool.Query(ctx, q+` ORDER BY started, id COLLATE "C"`, args...)
	if err != nil {
		return nil, fmt.Errorf("list calls: %w", err)
	}
	defer rows.Close()
	out, err := sqlrow.Collect(rows, sqlrow.ScanCallSummary)
	if err != nil {
		return nil, fmt.Errorf("list calls: %w", err)
	}
	return out, nil
}

// AddComment stores c.
func (db *DB) AddComment(ctx context.Context, c sim.Comment) error {
	if err := c.Check(); err != nil {
		return err
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO comments (id, call_id, turn, author, text, at) VALUES ($1, $2, $3, $4, $5, $6)`,
		c.ID, c.Call, c.Turn, c.Author, c.Text, sqlrow.Nanos(c.At))
	switch {
	case violates(err, uniqueViolation):
		return sim.Errorf(sim.EConflict, "comment %s exists already", c.ID)
	case violates(err, foreignKeyViolation):
		return sim.Errorf(sim.ENotFound, "no call %s", c.Call)
	}
	return sqlrow.Internal(err, "add comment to call %s", c.Call)
}

// Comments returns the comments on call id.
func (db *DB) Comments(ctx context.Context, id string) ([]sim.Comment, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, call_id, turn, author, text, at FROM comments WHERE call_id = $1 ORDER BY at, id COLLATE "C"`, id)
	if err != nil {
		return nil, fmt.Errorf("comments on %s: %w", id, err)
	}
	defer rows.Close()
	out, err := sqlrow.Collect(rows, sqlrow.ScanComment)
	if err != nil {
		return nil, fmt.Errorf("comments on %s: %w", id, err)
	}
	return out, nil
}

// PutTrainerScore stores s in place of its author's earlier score.
func (db *DB) PutTrainerScore(ctx context.Context, s sim.TrainerScore) error {
	if err := s.Check(); err != nil {
		return err
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO trainer_scores (call_id, author, score, reason, at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (call_id, author) DO UPDATE SET score = excluded.score, reason = excluded.reason, at = excluded.at`,
		s.Call, s.Author, s.Score, s.Reason, sqlrow.Nanos(s.At))
	if violates(err, foreignKeyViolation) {
		return sim.Errorf(sim.ENotFound, "no call %s", s.Call)
	}
	return sqlrow.Internal(err, "score call %s", s.Call)
}

// TrainerScores returns the trainers' scores of call id.
func (db *DB) TrainerScores(ctx context.Context, id string) ([]sim.TrainerScore, error) {
	rows, err := db.pool.Query(ctx, `SELECT call_id, author, score, reason, at FROM trainer_scores WHERE call_id = $1 ORDER BY at, author COLLATE "C"`, id)
	if err != nil {
		return nil, fmt.Errorf("scores of %s: %w", id, err)
	}
	defer rows.Close()
	out, err := sqlrow.Collect(rows, sqlrow.ScanTrainerScore)
	if err != nil {
		return nil, fmt.Errorf("scores of %s: %w", id, err)
	}
	return out, nil
}
