package main

import (
	"bufio"
	"encoding/json"

	"github.com/roleplay-sim/roleplay/sim"
)

func init() {
	register(&command{
		name:  "classify",
		args:  "[--scenario FILE] < utterances",
		short: "classify trainee utterances into sales acts",
		long: `Classify reads one utterance per line on standard input and writes one JSON
object per line:

  {"text": "...", "acts": [{"act": "implication", "confidence": 0.82,
    "cues": ["how does that affect"], "sentence": "..."}]}

with the strongest act first and small talk ("other") last. --scenario
adds that scenario's vocabulary (product, competitors, industry terms), so
that "our FleetSight dashboard" is read as a pitch. Empty lines give an
empty list of acts.`,
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
	_, code, ok := parse(fs, e, args, 0)
	if !ok {
		return code
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
