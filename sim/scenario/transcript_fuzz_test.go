package scenario

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/roleplay-sim/roleplay/sim"
)

// goInternals matches what a user must never see in an error: Go type
// names, package paths, the decoder's own wording.
var goInternals = regexp.MustCompile(`Go (struct|value|type)|\bsim\.|\bmain\.|(^|\s)\*?json[.:]|unmarshal|2006-01-02|reflect|goroutine|panic`)

// FuzzReadTranscript feeds `roleplay grade` input to the transcript reader:
// it never panics, and what it refuses it refuses in words for people.
func FuzzReadTranscript(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "testdata", "transcript", "*.json"))
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		`{"version":2}`, `{"version":"two"}`, `{"version":1,"lines":[{"said":3}]}`, `[]`, `null`, `{"version":2,"call":{"turns":[{"n":"x"}]}}`,
		`{"version":2,"call":{"started":"yesterday"}}`, `{"version":2,"call":{"turns":[{"acts":[{"act":"nonsense"}]}]}}`,
		`{"version":2,"scenario":{"source":"[[[","defaults":"x"}}`, `{"version":2,"call":{"mode":"party","end":"whenever"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := ReadTranscript(data, nil)
		if err == nil {
			return
		}
		if msg := sim.ErrorMessage(err); goInternals.MatchString(msg) {
			t.Fatalf("error shows Go internals: %q", msg)
		}
	})
}
