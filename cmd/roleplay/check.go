package main

import "fmt"

func init() {
	register(&command{
		name:  "check",
		args:  "[PATH...]",
		short: "validate scenario files",
		long: `Check loads every scenario file in the given files and folders (the bundled
scenarios when none is given) and reports every problem at once, each as
file:line:col: what is wrong and what would be right. Exit status 1 if any
scenario has a problem.`,
		run: runCheck,
	})
}

func runCheck(e *env, args []string) int {
	c := commands["check"]
	paths, code, ok := parse(c.flags(e), e, args, anyArgs)
	if !ok {
		return code
	}
	all, err := loadPaths(paths)
	if err != nil {
		return reportLoad(e, err)
	}
	for _, s := range all {
		fmt.Fprintf(e.stdout, "ok  %s  %s (%d facts, %d states)\n", s.File, s.ID, len(s.Facts), len(s.States))
	}
	return exitOK
}
