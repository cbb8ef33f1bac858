package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/roleplay-sim/roleplay/sim/script"
)

func init() {
	register(&command{
		name:  "calibrate",
		args:  "[--json] [-v] [PATH...]",
		short: "check that scripted trainees land in the right profile",
		long: `Calibrate plays the built-in bot trainees against each scenario (the bundled
ones when no path is given): a perfect SPIN seller (should be balanced);
three pitchers (self_focused): one that asks for the sale early, one that
pitches from the first line and never asks, one that asks only at the end;
two yielding ones: an all-yield seller who asks and sympathises, then gives
in, and a discounter who asks nothing and only gives discounts and time;
a passive one and one that hangs up after a minute (passive). It shows where each lands; -v prints each bot's call
first. Exit status 1 if any bot lands in the wrong profile.`,
		run: runCalibrate,
	})
}

type calibrationRow struct {
	Scenario string `json:"scenario"`
	script.Calibration
}

func runCalibrate(e *env, args []string) int {
	c := commands["calibrate"]
	fs := c.flags(e)
	asJSON := fs.Bool("json", false, "print the results as JSON")
	verbose := fs.Bool("v", false, "print each bot's transcript and grade before the table")
	paths, code, ok := parse(fs, e, args, anyArgs)
	if !ok {
		return code
	}
	all, err := loadPaths(paths)
	if err != nil {
		return reportLoad(e, err)
	}
	var rows []calibrationRow
	bad := 0
	for _, s := range all {
		for _, cal := range script.Calibrate(s, e.reader()) {
			rows = append(rows, calibrationRow{s.ID, cal})
			if *verbose && !*asJSON {
				fmt.Fprintf(e.stdout, "== %s: bot %s (want %s)\n%s\n", s.ID, cal.Bot, cal.Want, script.Render(cal.Report))
			}
			if !cal.OK {
				bad++
			}
		}
	}
	if *asJSON {
		if code := writeJSON(e, rows); code != exitOK {
			return code
		}
	} else {
		w := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "scenario\tbot\twant\tgot\tcustomer focus\tself-focus\tgave in\toutcome\tturns\t")
		for _, r := range rows {
			mark := "ok"
			if !r.OK {
				mark = "WRONG"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s %s\t%d\t%d\t%d\t%s\t%d\t\n", r.Scenario, r.Bot, r.Want, r.Profile, mark, r.CF, r.SF, r.GaveIn, r.Outcome, r.Turns)
		}
		w.Flush()
	}
	if bad > 0 {
		fmt.Fprintf(e.stderr, "roleplay: %d bot%s landed in the wrong profile\n", bad, plural(bad))
		return exitFailed
	}
	return exitOK
}
