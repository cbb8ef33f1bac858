package main

import (
	"bufio"
	"fmt"
	"strings"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/auth"
	"github.com/roleplay-sim/roleplay/sim/server"
)

func init() {
	register(&command{
		name:  "user",
		args:  "add --name NAME --role admin|trainer|trainee [--team T]... [--password-stdin] [--db PATH|URL] [--url URL]",
		short: "add an account",
		long: `User add creates an account in the database the server uses. With
--password-stdin the password is the first line of standard input;
otherwise it prints a one-time link, valid for a week, where the user
sets their own. --team puts a trainee in a team, or assigns a trainer to
one; repeat it for several.`,
		run: runUser,
	})
}

// teamList is a flag that may be given several times.
type teamList []string

func (l *teamList) String() string     { return strings.Join(*l, ",") }
func (l *teamList) Set(v string) error { *l = append(*l, v); return nil }

func runUser(e *env, args []string) int {
	c := commands["user"]
	fs := c.flags(e)
	name := fs.String("name", "", "the account's `NAME` (what the user signs in with)")
	role := fs.String("role", "", "`ROLE`: admin, trainer or trainee")
	var teams teamList
	fs.Var(&teams, "team", "a `TEAM` the user is in (trainee) or assigned to (trainer)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	dsn := fs.String("db", "", "where the accounts are kept: as serve --db (default: SQLite in the data directory, as serve uses)")
	base := fs.String("url", "http://127.0.0.1:8080", "the server's address as users reach it, for the invite link")
	pos, code, ok := parse(fs, e, args, 1)
	if !ok {
		return code
	}
	if pos[0] != "add" {
		fs.Usage()
		return exitUsage
	}
	r, err := sim.ParseRole(*role)
	if err != nil || *name == "" {
		fmt.Fprintf(e.stderr, "roleplay user add: give --name and --role (admin, trainer or trainee)\n")
		return exitUsage
	}
	u := &sim.User{Name: *name, Role: r, Teams: teams, Created: time.Now()}
	if *pwStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if err != nil && line == "" {
			return failf(e, exitUsage, "user add: no password on standard input")
		}
		if u.PasswordHash, err = auth.HashPassword(line); err != nil {
			return failf(e, exitUsage, "user add: %s", sim.ErrorMessage(err))
		}
	}
	store, _, err := openStore(e.ctx, *dsn)
	if err != nil {
		return failf(e, exitInternal, "user add: %v", err)
	}
	defer store.Close()
	if err := store.CreateUser(e.ctx, u); err != nil {
		if sim.ErrorCodeOf(err) == sim.EInternal {
			return failf(e, exitInternal, "user add: %v", err)
		}
		return failf(e, exitFailed, "user add: %s", sim.ErrorMessage(err))
	}
	if *pwStdin {
		fmt.Fprintf(e.stdout, "added %s %s\n", u.Role, u.Name)
		return exitOK
	}
	link, err := server.Invite(e.ctx, store, u.Name, strings.TrimRight(*base, "/"), time.Now())
	if err != nil {
		return failf(e, exitInternal, "user add: %v", err)
	}
	fmt.Fprintf(e.stdout, "added %s %s; they set their password, once, at:\n%s\n", u.Role, u.Name, link)
	return exitOK
}
