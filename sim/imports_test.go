package sim_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// adapters are the packages under sim that may do I/O: each speaks to one
// dependency in sim's types. storetest is the stores' shared test suite.
var adapters = map[string]bool{
	"server": true, "inmem": true, "sqlite": true, "postgres": true, "load": true, "storetest": true, "auth": true,
}

// forbidden imports for the pure packages: sim is raft's core, not its transport.
func forbiddenImport(path string) bool {
	switch {
	case path == "os", strings.HasPrefix(path, "os/"),
		path == "net", strings.HasPrefix(path, "net/"),
		path == "database/sql", strings.HasPrefix(path, "database/sql/"),
		path == "math/rand", path == "math/rand/v2",
		strings.HasPrefix(path, "github.com/gorilla/websocket"):
		return true
	}
	return false
}

// seededRand allows math/rand/v2 where every draw is from a generator
// seeded by the caller (STYLE.md: "randomness is a seeded *rand.Rand"):
// the classifier's offline training, which must give the same weights for
// the same seed, and its typed copies of training lines, drawn from a
// generator seeded by the line itself.
func seededRand(file, imp string) bool {
	f := filepath.ToSlash(file)
	return imp == "math/rand/v2" && (filepath.Dir(f) == "classify/nn" || f == "classify/augment.go")
}

// forbiddenTime are the time functions that read or wait on the clock.
var forbiddenTime = map[string]bool{
	"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true, "Tick": true,
	"NewTimer": true, "NewTicker": true, "AfterFunc": true,
}

// TestPurePackages parses every non-test file of sim and its subpackages
// (adapters excepted) and fails on I/O imports, global randomness or clock
// reads: time enters sim as an input only.
func TestPurePackages(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" || adapters[d.Name()] && path != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		checked++
		timeName := ""
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if forbiddenImport(p) && !seededRand(path, p) {
				t.Errorf("%s imports %s: sim and its pure subpackages do no I/O and draw no global randomness; move this to an adapter", path, p)
			}
			if p == "time" {
				timeName = "time"
				if imp.Name != nil {
					timeName = imp.Name.Name
				}
			}
		}
		if timeName == "" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == timeName && forbiddenTime[sel.Sel.Name] {
				t.Errorf("%s calls time.%s: time enters sim as an input (a turn's time, TimeUp), never from the clock", path, sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("only %d files checked; is the walk wrong?", checked)
	}
}
