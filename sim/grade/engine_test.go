package grade_test

import (
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/grade"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

var updateEngine = flag.Bool("update-engine", false, "record the fingerprint of testdata/engine under today's sim.Engine")

// The engine's name changes whenever its rules do. testdata/engine holds
// calls recorded once (the bundled personas' golden scripts, with the acts
// as they were read then, on the scenario versions they were played on), so
// nothing but the engine and the grader can change what replaying them gives:
// the customer's replies and the report. testdata/engine.txt records the
// fingerprint of that for one engine name.
func TestEngineFingerprint(t *testing.T) {
	files, err := filepath.Glob("testdata/engine/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	h := sha256.New()
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		tf, err := scenario.ReadTranscript(data, nil)
		require.NoError(t, err, f)
		conv, err := sim.Replay(tf.Scenario, nil, &tf.Transcript.Call)
		require.NoError(t, err, f)
		r := grade.Grade(conv)
		r.Engine = ""
		out, err := json.Marshal(r)
		require.NoError(t, err)
		fmt.Fprintf(h, "%s\n%s\n", filepath.Base(f), out)
	}
	got := fmt.Sprintf("%x", h.Sum(nil))

	const record = "testdata/engine.txt"
	data, err := os.ReadFile(record)
	require.NoError(t, err)
	name, want, _ := strings.Cut(strings.TrimSpace(string(data)), " ")
	how := "go test ./sim/grade -run TestEngineFingerprint -update-engine"
	if *updateEngine {
		require.False(t, name == sim.Engine && want != got,
			"the rules changed but sim.Engine is still %s: name the new rules first (sim/engine.go)", name)
		require.NoError(t, os.WriteFile(record, []byte(sim.Engine+" "+got+"\n"), 0o644))
		return
	}
	if name != sim.Engine {
		t.Fatalf("sim.Engine is %s but %s records %s: record the new engine with %s", sim.Engine, record, name, how)
	}
	if want != got {
		t.Fatalf("replaying the recorded calls in testdata/engine gives other replies or grades than engine %s gave: "+
			"the engine's rules changed, so give them a new name in sim/engine.go and record it with %s", name, how)
	}
}
