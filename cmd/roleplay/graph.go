package main

import "fmt"

func init() {
	register(&command{
		name:  "graph",
		args:  "FILE [--format mermaid|dot]",
		short: "draw a scenario's state machine",
		long: `Graph prints the persona's state machine, with the built-in defaults it is
loaded on, as a Mermaid state diagram or as Graphviz dot. FILE may also be
the id of a bundled scenario.`,
		run: runGraph,
	})
}

func runGraph(e *env, args []string) int {
	c := commands["graph"]
	fs := c.flags(e)
	format := fs.String("format", "mermaid", "mermaid or dot")
	pos, code, ok := parse(fs, e, args, 1)
	if !ok {
		return code
	}
	if *format != "mermaid" && *format != "dot" {
		return failf(e, exitUsage, "unknown format %q; use mermaid or dot", *format)
	}
	s, err := loadOne(pos[0])
	if err != nil {
		return reportLoad(e, err)
	}
	g, err := s.Graph(*format)
	if err != nil {
		return failf(e, exitInternal, "%v", err)
	}
	fmt.Fprint(e.stdout, g)
	return exitOK
}
