package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/internal/sqlrow"
)

// CreateUser stores u and its teams.
func (db *DB) CreateUser(ctx context.Context, u *sim.User) error {
	if err := u.Check(); err != nil {
		return err
	}
	err := db.inTx(ctx, func(tx *wtx) error {
		_, err := tx.Exec(`INSERT INTO users (name, role, password_hash, disabled, created) VALUES (?, ?, ?, ?, ?)`,
			u.Name, string(u.Role), u.PasswordHash, u.Disabled, sqlrow.Nanos(u.Created))
		if constraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
			return sim.Errorf(sim.EConflict, "there is a user named %q already", u.Name)
		}
		if err != nil {
			return err
		}
		return putTeams(tx, u)
	})
	return sqlrow.Internal(err, "create user %q", u.Name)
}

func putTeams(tx *wtx, u *sim.User) error {
	if _, err := tx.Exec(`DELETE FROM user_teams WHERE user_name = ?`, u.Name); err != nil {
		return err
	}
	for _, t := range u.Teams {
		if _, err := tx.Exec(`INSERT INTO user_teams (user_name, team) VALUES (?, ?)`, u.Name, t); err != nil {
			return err
		}
	}
	return nil
}

// UpdateUser replaces the user of u's name, keeping its creation time.
func (db *DB) UpdateUser(ctx context.Context, u *sim.User) error {
	err := db.inTx(ctx, func(tx *wtx) error {
		var created *int64
		err := tx.QueryRow(`SELECT created FROM users WHERE name = ?`, u.Name).Scan(&created)
		if errors.Is(err, sql.ErrNoRows) {
			return sim.Errorf(sim.ENotFound, "no user %q", u.Name)
		} else if err != nil {
			return err
		}
		kept := *u
		kept.Created = sqlrow.Time(created)
		if err := kept.Check(); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE users SET role = ?, password_hash = ?, disabled = ? WHERE name = ?`,
			string(kept.Role), kept.PasswordHash, kept.Disabled, kept.Name); err != nil {
			return err
		}
		return putTeams(tx, &kept)
	})
	return sqlrow.Internal(err, "update user %q", u.Name)
}

// User returns the user named name.
func (db *DB) User(ctx context.Context, name string) (*sim.User, error) {
	users, err := db.users(ctx, `WHERE name = ?`, name)
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

// users reads the users that where selects, with their teams, by name.
func (db *DB) users(ctx context.Context, where string, args ...any) ([]*sim.User, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT name, role, password_hash, disabled, created FROM users `+where+` ORDER BY name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*sim.User{}
	byName := map[string]*sim.User{}
	for rows.Next() {
		u, err := sqlrow.ScanUser(rows)
		if err != nil {
			return nil, err
		}
		u.Teams = []string{}
		out = append(out, u)
		byName[u.Name] = u
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	teams, err := tx.QueryContext(ctx, `SELECT user_name, team FROM user_teams ORDER BY user_name, team`)
	if err != nil {
		return nil, err
	}
	defer teams.Close()
	for teams.Next() {
		var name, team string
		if err := teams.Scan(&name, &team); err != nil {
			return nil, err
		}
		if u := byName[name]; u != nil {
			u.Teams = append(u.Teams, team)
		}
	}
	return out, teams.Err()
}

// CountUsers returns how many users there are.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, sqlrow.Internal(err, "count users")
}

// CreateToken stores t.
func (db *DB) CreateToken(ctx context.Context, t sim.Token) error {
	if err := t.Check(); err != nil {
		return err
	}
	err := db.exec(ctx, `INSERT INTO tokens (hash, kind, user_name, created, expires) VALUES (?, ?, ?, ?, ?)`,
		t.Hash, string(t.Kind), sqlrow.NullString(t.User), sqlrow.Nanos(t.Created), sqlrow.Nanos(t.Expires))
	switch {
	case constraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY):
		return sim.Errorf(sim.EConflict, "the token exists already")
	case constraint(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY):
		return sim.Errorf(sim.EInvalid, "no user %q to give a token to", t.User)
	}
	return sqlrow.Internal(err, "create token")
}

const tokenColumns = `hash, kind, coalesce(user_name, ''), created, expires`

func scanToken(row interface{ Scan(...any) error }) (sim.Token, error) {
	t, err := sqlrow.ScanToken(row)
	if errors.Is(err, sql.ErrNoRows) {
		return sim.Token{}, sim.Errorf(sim.ENotFound, "no such token")
	}
	return t, err
}

// Token returns the token with the given hash.
func (db *DB) Token(ctx context.Context, hash []byte) (sim.Token, error) {
	t, err := scanToken(db.read.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = ?`, hash))
	return t, sqlrow.Internal(err, "token")
}

// TakeToken deletes the token with the given hash and returns it.
func (db *DB) TakeToken(ctx context.Context, hash []byte) (sim.Token, error) {
	var t sim.Token
	err := db.inTx(ctx, func(tx *wtx) error {
		var err error
		t, err = scanToken(tx.QueryRow(`DELETE FROM tokens WHERE hash = ? RETURNING `+tokenColumns, hash))
		return err
	})
	return t, sqlrow.Internal(err, "take token")
}

// DeleteTokens deletes the tokens of kind held by user.
func (db *DB) DeleteTokens(ctx context.Context, user string, kind sim.TokenKind) error {
	err := db.exec(ctx, `DELETE FROM tokens WHERE user_name = ? AND kind = ?`, user, string(kind))
	return sqlrow.Internal(err, "delete tokens of %q", user)
}

// Settings returns the settings.
func (db *DB) Settings(ctx context.Context) (sim.Settings, error) {
	var value string
	err := db.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'settings'`).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
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
	err = db.exec(ctx, `INSERT INTO settings (key, value) VALUES ('settings', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, string(b))
	return sqlrow.Internal(err, "put settings")
}

// ListCalls returns the calls f selects, by start then id.
func (db *DB) ListCalls(ctx context.Context, f sim.CallFilter) ([]sim.CallSummary, error) {
	var (
		where []string
		args  []any
	)
	if !f.Everyone {
		trainees, err := json.Marshal(f.Trainees)
		if err != nil {
			return nil, err
		}
		where = append(where, `trainee IN (SELECT value FROM json_each(?))`)
		args = append(args, string(trainees))
	}
	if f.Scenario != "" {
		where, args = append(where, `scenario = ?`), append(args, f.Scenario)
	}
	if f.Mode != "" {
		where, args = append(where, `mode = ?`), append(args, string(f.Mode))
	}
	if !f.From.IsZero() {
		where, args = append(where, `started >= ?`), append(args, f.From.UnixNano())
	}
	if !f.To.IsZero() {
		where, args = append(where, `started < ?`), append(args, f.To.UnixNano())
	}
	q := `SELECT id, scenario, version, mode, trainee, assessment, started, deadline, ending, ended, report,
		(SELECT count(*) FROM turns WHERE call_id = calls.id),
		(SELECT count(*) FROM turns WHERE call_id = calls.id AND override IS NOT NULL) FROM calls`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY started, id`, args...)
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
	err := db.exec(ctx, `INSERT INTO comments (id, call_id, turn, author, text, at) VALUES (?, ?, ?, ?, ?, ?)`,
		c.ID, c.Call, c.Turn, c.Author, c.Text, sqlrow.Nanos(c.At))
	switch {
	case constraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY):
		return sim.Errorf(sim.EConflict, "comment %s exists already", c.ID)
	case constraint(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY):
		return sim.Errorf(sim.ENotFound, "no call %s", c.Call)
	}
	return sqlrow.Internal(err, "add comment to call %s", c.Call)
}

// Comments returns the comments on call id.
func (db *DB) Comments(ctx context.Context, id string) ([]sim.Comment, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, call_id, turn, author, text, at FROM comments WHERE call_id = ? ORDER BY at, id`, id)
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
	err := db.exec(ctx, `INSERT INTO trainer_scores (call_id, author, score, reason, at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (call_id, author) DO UPDATE SET score = excluded.score, reason = excluded.reason, at = excluded.at`,
		s.Call, s.Author, s.Score, s.Reason, sqlrow.Nanos(s.At))
	if constraint(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY) {
		return sim.Errorf(sim.ENotFound, "no call %s", s.Call)
	}
	return sqlrow.Internal(err, "score call %s", s.Call)
}

// TrainerScores returns the trainers' scores of call id.
func (db *DB) TrainerScores(ctx context.Context, id string) ([]sim.TrainerScore, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT call_id, author, score, reason, at FROM trainer_scores WHERE call_id = ? ORDER BY at, author`, id)
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
