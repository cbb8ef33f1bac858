// Package scenarios holds the bundled personas, embedded in the binary.
// Their golden transcripts live in testdata/<scenario id>/ and are played by
// go test and by roleplay test.
package scenarios

import (
	"embed"
	"io/fs"
)

//go:embed *.toml
var files embed.FS

// FS returns the bundled scenario files, at its root.
func FS() fs.FS { return files }
