// Package static holds the browser UI: one page, its stylesheet and its
// scripts, embedded so the binary serves them without files on disk.
package static

import (
	"embed"
	"io/fs"
)

//go:embed index.html assess.html assess-review.html style.css trainer.css editor.css assess.css js vendor
var files embed.FS

// FS returns the UI files; index.html is at the root.
func FS() fs.FS { return files }
