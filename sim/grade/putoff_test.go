package grade

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// putOffByCue is putOff as it was first written, one search per cue: the
// reference the word-indexed putOff must agree with.
func putOffByCue(sentence string) bool {
	s := strings.ToLower(strings.ReplaceAll(sentence, "’", "'"))
	s = " " + strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !(r == '\'' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}), " ") + " "
	for _, c := range putOffCues {
		if strings.Contains(s, " "+c+" ") {
			return true
		}
	}
	return false
}

// putOffSamples are lines to read both ways: every cue alone, cased,
// punctuated and inside others' words, and every trainee line of the
// bundled scenarios' golden transcripts.
func putOffSamples(t testing.TB) []string {
	var out []string
	for _, c := range putOffCues {
		out = append(out, c, strings.ToUpper(c)+"!", "ok, "+c+".", "x"+c, c+"x", "so "+strings.ReplaceAll(c, "'", "’")+"?",
			strings.ReplaceAll(c, " ", "  "), strings.ReplaceAll(c, " ", "—"))
	}
	out = append(out, "", " ", "’", "no", "no rush", "NO RUSH", "no\u212Arush", "\xffno rush\xff", "noo rush", "no rushing")
	files, err := filepath.Glob("../../scenarios/testdata/*/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("golden transcripts: %v (%d files)", err, len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Split(string(src), "\n")...)
	}
	return out
}

func TestPutOffReadsAsEveryCue(t *testing.T) {
	for _, s := range putOffSamples(t) {
		if got, want := putOff(s), putOffByCue(s); got != want {
			t.Errorf("putOff(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzPutOff(f *testing.F) {
	for _, s := range putOffSamples(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := putOff(s), putOffByCue(s); got != want {
			t.Errorf("putOff(%q) = %v, want %v", s, got, want)
		}
	})
}
