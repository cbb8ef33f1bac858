package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/roleplay-sim/roleplay/sim/script"
)

func init() {
	register(&command{
		name:  "test",
		args:  "[--rewrite] [--run REGEXP] [-v] [PATH...]",
		short: "run scenarios' golden transcripts",
		long: `Test loads the scenarios in the given files and folders (./scenarios when none
is given) and plays each golden transcript in testdata/<scenario id>/*.txt
beside the scenario file: trainee lines, expectations (expect: outcome=won
profile=balanced ...) and the expected rendering after ----. A transcript
passes when its expectations hold and the call renders exactly as written.
--rewrite replaces the expected renderings with what the calls give now
(expectations are still checked): read the diff before you commit it.
Exit status 1 if any transcript fails or a scenario has none.`,
		run: runTest,
	})
}

func runTest(e *env, args []string) int {
	c := commands["test"]
	fs := c.flags(e)
	rewrite := fs.Bool("rewrite", false, "rewrite expected renderings")
	runRe := fs.String("run", "", "only transcripts whose scenario/name matches `REGEXP`")
	verbose := fs.Bool("v", false, "print every transcript, not only failures")
	paths, code, ok := parse(fs, e, args, anyArgs)
	if !ok {
		return code
	}
	filter, err := regexp.Compile(*runRe)
	if err != nil {
		return failf(e, exitUsage, "--run: %v", err)
	}
	if len(paths) == 0 {
		paths = []string{"scenarios"}
	}
	all, err := loadPaths(paths)
	if err != nil {
		return reportLoad(e, err)
	}
	passed, failed := 0, 0
	for _, s := range all {
		dir := filepath.FromSlash(script.GoldenDir(s))
		files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		if len(files) == 0 {
			fmt.Fprintf(e.stdout, "FAIL %s: no golden transcripts in %s\n", s.ID, dir)
			failed++
			continue
		}
		for _, file := range files {
			name := s.ID + "/" + strings.TrimSuffix(filepath.Base(file), ".txt")
			if !filter.MatchString(name) {
				continue
			}
			src, err := os.ReadFile(file)
			if err != nil {
				return failf(e, exitInternal, "%v", err)
			}
			g := script.RunGolden(file, string(src), s, e.reader(), *rewrite)
			problems := g.Problems
			if *rewrite && g.Rewritten != "" {
				if err := os.WriteFile(file, []byte(g.Rewritten), 0o644); err != nil {
					return failf(e, exitInternal, "%v", err)
				}
				fmt.Fprintf(e.stdout, "rewrote %s\n", file)
			}
			if len(problems) > 0 {
				failed++
				fmt.Fprintf(e.stdout, "FAIL %s (%s)\n", name, file)
				for _, p := range problems {
					fmt.Fprintf(e.stdout, "     %s\n", strings.ReplaceAll(p, "\n", "\n     "))
				}
				continue
			}
			passed++
			if *verbose {
				fmt.Fprintf(e.stdout, "ok   %s: %s, %s\n", name, g.Result.Report.Outcome, g.Result.Report.Profile)
			}
		}
	}
	fmt.Fprintf(e.stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return exitFailed
	}
	return exitOK
}
