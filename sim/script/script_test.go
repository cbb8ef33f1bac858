package script

import "testing"

// Whatever text a golden script holds, parsing returns a script or an error.
func FuzzParse(f *testing.F) {
	f.Add("# c\nexpect: outcome=won\n> hello\nhangup\n----\nturn 1: hello\n")
	f.Add("> a\n> b\n----\n")
	f.Add("expect: nope\n")
	f.Fuzz(func(t *testing.T, src string) {
		sc, err := Parse("fuzz.txt", src)
		if err == nil && len(sc.Lines) == 0 {
			t.Fatal("a script without lines parsed")
		}
	})
}
