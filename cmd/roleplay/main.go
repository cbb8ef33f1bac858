// Command roleplay runs the sales-call role-play simulator: it serves the
// browser UI, checks and tests scenarios, and plays and grades calls.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify"
)

// Exit codes.
const (
	exitOK       = 0 // success
	exitFailed   = 1 // the command ran and found problems: invalid scenario, failed test, miscalibrated bot
	exitUsage    = 2 // the command line was wrong
	exitInternal = 3 // something unexpected: an unreadable file, a server that could not start
)

// env is what a command may touch: its streams and arguments. Tests run
// commands through it without a process.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// reader is the classifier the commands read trainee lines with.
func (e *env) reader() sim.Reader { return classify.Default() }

type command struct {
	name  string
	args  string
	short string
	long  string
	run   func(e *env, args []string) int
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(&env{ctx: ctx, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}

func run(e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				return c.run(e, []string{"--help"})
			}
		}
		usage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "roleplay: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return exitUsage
	}
	return c.run(e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "roleplay: a sales-call role-play simulator.")
	fmt.Fprintln(w, "\nUsage: roleplay <command> [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].short)
	}
	fmt.Fprintln(w, "\nRun 'roleplay <command> --help' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 success, 1 problems found (invalid scenario, failed test,\nmiscalibrated bot), 2 bad command line, 3 unexpected error.")
}

// flags makes a flag set for c whose --help prints the command's help.
func (c *command) flags(e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: roleplay %s %s\n\n%s\n", c.name, c.args, strings.TrimSpace(c.long))
		var has bool
		fs.VisitAll(func(*flag.Flag) { has = true })
		if has {
			fmt.Fprintln(fs.Output(), "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// anyArgs tells parse to accept any number of positional arguments.
const anyArgs = -1

// parse parses flags that may come before or after the positional
// arguments ("roleplay graph FILE --format dot") and checks that there are
// want of those (or any number, with anyArgs). It returns them, or an exit
// code when the command should stop.
func parse(fs *flag.FlagSet, e *env, args []string, want int) ([]string, int, bool) {
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return nil, exitOK, false
		}
		if err != nil {
			return nil, exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			if want != anyArgs && len(pos) != want {
				fs.Usage()
				return nil, exitUsage, false
			}
			return pos, 0, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func failf(e *env, code int, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "roleplay: "+format+"\n", args...)
	return code
}
