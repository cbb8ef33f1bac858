package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/roleplay-sim/roleplay/sim"
)

func init() {
	register(&command{
		name:  "classify",
		args:  "[--scenario FILE] < utterances | --export-corrections [--db PATH|URL] | --export-unsure [--db PATH|URL]",
		short: "classify trainee utterances into sales acts",
		long: `Classify reads one utterance per line on standard input and writes one JSON
object per line:

  {"text": "...", "acts": [{"act": "implication", "confidence": 0.82,
    "cues": ["how does that affect"], "sentence": "..."}]}

with the strongest act first and small talk ("other") last. --scenario
adds that scenario's vocabulary (product, competitors, industry terms), so
that "our FleetSight dashboard" is read as a pitch. Empty lines give an
empty list of acts.

--export-corrections reads no input: it prints every line trainees
corrected ("I meant this as ...") in the calls of the store serve uses
(--db as serve --db), labelled as they meant them, in the classifier
corpus's format (labels<TAB>sentence, as sim/classify/corpus/train.txt),
each under a comment with its call, turn and what the classifier read,
for the next training round. Read the lines before adding them.

--export-unsure prints, the same way, every sentence the classifier was
not sure of (read as unclear) in turns no one corrected: the lines most
worth labelling. Each is labelled "unclear", which the corpus refuses
until the acts the sentence does are written in its place.`,
		run: runClassify,
	})
}

type classified struct {
	Text string          `json:"text"`
	Acts []sim.Detection `json:"acts"`
}

func runClassify(e *env, args []string) int {
	c := commands["classify"]
	fs := c.flags(e)
	scenario := fs.String("scenario", "", "a scenario file (or bundled id) whose vocabulary to use")
	export := fs.Bool("export-corrections", false, "print the lines trainees corrected as labelled sentences, instead of classifying standard input")
	unsure := fs.Bool("export-unsure", false, "print the sentences the classifier was unsure of, to be labelled, instead of classifying standard input")
	dsn := fs.String("db", "", "with --export-corrections or --export-unsure: the store to read, as serve --db (default: SQLite in the data directory, as serve uses)")
	_, code, ok := parse(fs, e, args, 0)
	if !ok {
		return code
	}
	switch {
	case *export && *unsure:
		return failf(e, exitUsage, "classify: give --export-corrections or --export-unsure, not both")
	case (*export || *unsure) && *scenario != "":
		return failf(e, exitUsage, "classify: an export takes no --scenario")
	case *export:
		return exportCorrections(e, *dsn)
	case *unsure:
		return exportUnsure(e, *dsn)
	case *dsn != "":
		return failf(e, exitUsage, "classify: --db is for --export-corrections and --export-unsure")
	}
	var vocab *sim.Vocabulary
	if *scenario != "" {
		s, err := loadOne(*scenario)
		if err != nil {
			return reportLoad(e, err)
		}
		vocab = s.Vocabulary()
	}
	cls := e.reader()
	in := bufio.NewScanner(e.stdin)
	in.Buffer(make([]byte, 64*1024), 1<<20)
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		text := in.Text()
		acts := cls.Read(text, vocab)
		if acts == nil {
			acts = []sim.Detection{}
		}
		if err := enc.Encode(classified{Text: text, Acts: acts}); err != nil {
			return failf(e, exitInternal, "%v", err)
		}
	}
	if err := in.Err(); err != nil {
		return failf(e, exitInternal, "read standard input: %v", err)
	}
	return exitOK
}

// exportCorrections prints the corrected lines of every call in the store
// db names (see WriteCorrections).
func exportCorrections(e *env, db string) int {
	return export(e, db, sim.CorrectedCalls, sim.WriteCorrections, "line", "corrected")
}

// exportUnsure prints the sentences read as unclear in the uncorrected
// turns of every call in the store db names (see WriteUnsure).
func exportUnsure(e *env, db string) int {
	return export(e, db, sim.UnsureCalls, sim.WriteUnsure, "sentence", "to label")
}

// export prints what write makes of the calls list finds in the store db
// names, and says on stderr how many of noun it wrote (what).
func export(e *env, db string,
	list func(context.Context, sim.CallLister, sim.CallFilter) ([]*sim.Call, error),
	write func(io.Writer, []*sim.Call) (int, error), noun, what string) int {
	store, _, err := openStore(e.ctx, db)
	if err != nil {
		return failf(e, exitInternal, "classify: %v", err)
	}
	defer store.Close()
	calls, err := list(e.ctx, store, sim.CallFilter{Everyone: true})
	if err != nil {
		return failf(e, exitInternal, "classify: %v", err)
	}
	out := bufio.NewWriter(e.stdout)
	n, err := write(out, calls)
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		return failf(e, exitInternal, "classify: %v", err)
	}
	fmt.Fprintf(e.stderr, "roleplay: %s %s, from %s\n", sim.Plural(n, noun), what, sim.Plural(len(calls), "call"))
	return exitOK
}
