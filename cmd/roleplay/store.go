package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/inmem"
	"github.com/roleplay-sim/roleplay/sim/postgres"
	"github.com/roleplay-sim/roleplay/sim/sqlite"
)

// Where 'roleplay serve' keeps its calls: --db names the store.
//
//	""                 SQLite in the data directory (defaultDBPath)
//	memory             in memory, lost on exit: for tests and demos
//	postgres://…       PostgreSQL, for several servers on one database
//	postgresql://…     the same
//	anything else      the path of an SQLite file
const (
	dbMemory   = "memory"
	dbFileName = "roleplay.db"
)

// openStore opens the store db names and says in words where it keeps the
// calls (no password in it), for the start-up log line.
func openStore(ctx context.Context, db string) (sim.Store, string, error) {
	switch {
	case db == dbMemory:
		return inmem.New(), "memory (calls are lost when the server stops)", nil
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		s, err := postgres.Open(ctx, db)
		if err != nil {
			return nil, "", err
		}
		return s, "PostgreSQL " + redacted(db), nil
	}
	path := db
	if path == "" {
		var err error
		if path, err = defaultDBPath(); err != nil {
			return nil, "", err
		}
	}
	s, err := sqlite.Open(path)
	if err != nil {
		return nil, "", err
	}
	return s, "SQLite " + s.Path(), nil
}

// defaultDBPath is roleplay.db in the data directory:
// $XDG_DATA_HOME/roleplay, or ~/.local/share/roleplay without it.
func defaultDBPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if !filepath.IsAbs(dir) { // the XDG spec says to ignore a relative one
		home, err := os.UserHomeDir()
		if err != nil {
			return "", errors.New("no data directory: set XDG_DATA_HOME or HOME, or choose a file with --db PATH")
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "roleplay", dbFileName), nil
}

// redacted is a PostgreSQL url without its password.
func redacted(db string) string {
	u, err := url.Parse(db)
	if err != nil {
		return "(url not shown)"
	}
	return u.Redacted()
}

// describeDB is the --db flag's help.
var describeDB = fmt.Sprintf("where calls are kept: an SQLite file `PATH`, postgres://… for PostgreSQL, or %q (lost on exit); default $XDG_DATA_HOME/roleplay/%s (~/.local/share/roleplay/%s)", dbMemory, dbFileName, dbFileName)
