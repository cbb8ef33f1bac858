package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/grade"
)

func init() {
	register(&command{
		name:  "play",
		args:  "[--script FILE] [--json] [--transcript OUT] [--quiet] SCENARIO",
		short: "play a call in the terminal, or from a script",
		long: `Play starts a call with the persona in SCENARIO (a file, or the id of a
bundled scenario). Type what you would say; the customer answers, and under
each turn you see how it was read: the acts and their cues, meters and
state changes. An empty line or end of input (Ctrl-D) hangs up. The report
is printed when the call ends.

With --script, the trainee's lines come from FILE, one per line (blank lines
and lines starting with # are skipped); the call stops when it ends. With
--json only the full report is printed, as JSON. --transcript saves the
call as a transcript that 'roleplay grade' re-grades.`,
		run: runPlay,
	})
}

func runPlay(e *env, args []string) int {
	c := commands["play"]
	fs := c.flags(e)
	script := fs.String("script", "", "read the trainee's lines from `FILE`")
	asJSON := fs.Bool("json", false, "print only the report, as JSON")
	transcript := fs.String("transcript", "", "save the call's transcript to `OUT`")
	quiet := fs.Bool("quiet", false, "do not show acts, meters and states under each turn")
	pos, code, ok := parse(fs, e, args, 1)
	if !ok {
		return code
	}
	s, err := loadOne(pos[0])
	if err != nil {
		return reportLoad(e, err)
	}
	in := e.stdin
	interactive := *script == ""
	if !interactive {
		f, err := os.Open(*script)
		if err != nil {
			return failf(e, exitInternal, "%v", err)
		}
		defer f.Close()
		in = f
	}
	talk := e.stdout
	if *asJSON {
		talk = io.Discard
	}
	conv := sim.NewConversation(s, e.reader())
	call := sim.Call{Scenario: s.ID, Version: s.Hash, Mode: sim.Training, Started: time.Now().UTC()}
	fmt.Fprintf(talk, "%s, %s at %s\n%s: %s\n", s.Customer.Name, s.Customer.Role, s.Customer.Company, s.Customer.Name, conv.Opening())
	lines := bufio.NewScanner(in)
	lines.Buffer(make([]byte, 64*1024), 1<<20)
	for !conv.Ended() {
		if interactive {
			fmt.Fprint(talk, "> ")
		}
		if !lines.Scan() {
			break
		}
		line := strings.TrimSpace(lines.Text())
		if !interactive && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if interactive && line == "" {
			break
		}
		if !interactive {
			fmt.Fprintf(talk, "> %s\n", line)
		}
		t, err := conv.Say(line)
		if err != nil {
			fmt.Fprintf(e.stderr, "roleplay: %v\n", err)
			continue
		}
		call.Turns = append(call.Turns, conv.Record(t, time.Now().UTC()))
		if !*quiet {
			writeTurnNotes(talk, t)
		}
		fmt.Fprintf(talk, "%s: %s\n", s.Customer.Name, t.Reply)
	}
	if err := lines.Err(); err != nil {
		return failf(e, exitInternal, "read input: %v", err)
	}
	if conv.Ended() {
		call.End = sim.EndedByCustomer
	} else {
		conv.Hangup()
		call.End = sim.EndedByTrainee
	}
	call.Ended = time.Now().UTC()
	r := grade.Grade(conv)
	if *transcript != "" {
		data, _ := json.MarshalIndent(sim.NewTranscript(s, &call), "", "  ")
		if err := os.WriteFile(*transcript, append(data, '\n'), 0o644); err != nil {
			return failf(e, exitInternal, "%v", err)
		}
	}
	if *asJSON {
		return writeJSON(e, r)
	}
	fmt.Fprintln(e.stdout)
	fmt.Fprint(e.stdout, r.Text())
	return exitOK
}

func writeTurnNotes(w io.Writer, t sim.Turn) {
	var acts []string
	for _, d := range t.Acts {
		a := d.Act.String()
		if len(d.Cues) > 0 {
			a += fmt.Sprintf(" %q", strings.Join(d.Cues, ", "))
		}
		acts = append(acts, a)
	}
	fmt.Fprintf(w, "   [%s]", strings.Join(acts, "; "))
	for _, m := range t.Meters {
		if m.Delta != 0 {
			fmt.Fprintf(w, " %s %d (%+d)", m.Name, m.Value, m.Delta)
		}
	}
	if len(t.Revealed) > 0 {
		fmt.Fprintf(w, " revealed %s", strings.Join(t.Revealed, ", "))
	}
	if t.From != t.To {
		fmt.Fprintf(w, " %s -> %s", t.From, t.To)
	}
	fmt.Fprintln(w)
}

func writeJSON(e *env, v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return failf(e, exitInternal, "%v", err)
	}
	return exitOK
}
