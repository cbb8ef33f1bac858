package server

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

// serve --scenarios DIR reloads the files that change, with the checks of
// roleplay check. A file that no longer loads keeps its last good version
// serving; its problems are logged and shown to trainers (GET
// /api/authoring) until it is fixed.

// reloadDelay gathers the events of one save: editors truncate, write and
// rename, and a checkout changes many files at once; they are reloaded
// once, this long after the last.
const reloadDelay = 150 * time.Millisecond

// WatchScenarios reloads the scenario files under dir whenever one
// changes, is added or removed, until the server shuts down. The server's
// Config.Scenarios must be the files under dir, loaded under the names
// filepath.Join(dir, file) (as roleplay serve loads them).
func (s *Server) WatchScenarios(dir string) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	if err := watchTree(w, dir); err != nil {
		w.Close()
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	fw := &fileWatch{srv: s, dir: dir, files: map[string]*watchedFile{}}
	for _, sc := range s.scenarios.fileList() {
		fw.files[sc.File] = &watchedFile{good: sc} // no source: checked again now, for the warnings
	}
	fw.reload()
	go fw.run(w)
	return nil
}

// watchTree watches dir and the folders under it that may hold scenarios
// (fsnotify does not watch a tree), skipping testdata and hidden ones as
// scenario.ScenarioFiles does.
func watchTree(w *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case !d.IsDir():
			return nil
		case p != dir && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")):
			return filepath.SkipDir
		}
		return w.Add(p)
	})
}

// A fileWatch is the watcher's state, owned by its goroutine.
type fileWatch struct {
	srv   *Server
	dir   string
	files map[string]*watchedFile // by name (dir joined with the file's path)
	// owners is which file served each id at the last reload: of two files
	// with one id, the one that served it keeps it.
	owners map[string]string
}

// watchedFile is what the watcher knows of one file: the contents it last
// read, its last good version, and its problems then.
type watchedFile struct {
	source   []byte
	good     *sim.Scenario // nil until it has loaded once
	problems scenario.Diagnostics
}

func (fw *fileWatch) run(w *fsnotify.Watcher) {
	defer w.Close()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-fw.srv.quit:
			timer.Stop()
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if ev.Has(fsnotify.Create) {
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
					if err := watchTree(w, ev.Name); err != nil {
						fw.srv.log.Warn("watch scenario folder", "dir", ev.Name, "err", err)
					}
				}
			}
			timer.Reset(reloadDelay)
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			fw.srv.log.Warn("watching scenario files", "dir", fw.dir, "err", err)
		case <-timer.C:
			fw.reload()
		}
	}
}

// reload reads every scenario file under the folder again and serves what
// loads. A file that changed is loaded and checked; one that fails keeps
// its last good version; one that is gone is no longer served.
func (fw *fileWatch) reload() {
	log := fw.srv.log
	fsys := os.DirFS(fw.dir)
	paths, err := scenario.ScenarioFiles(fsys, ".")
	if err != nil {
		log.Error("reload scenario files: the last good versions keep serving", "dir", fw.dir, "err", err)
		return
	}
	seen := map[string]*watchedFile{}
	changed := map[string]bool{}
	for _, p := range paths {
		name := filepath.Join(fw.dir, filepath.FromSlash(p))
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			log.Warn("read scenario file", "file", name, "err", err)
			if f := fw.files[name]; f != nil {
				seen[name] = f // as it was: it may be in the middle of a save
			}
			continue
		}
		f := fw.files[name]
		if f != nil && f.source != nil && bytes.Equal(f.source, data) {
			seen[name] = f
			continue
		}
		seen[name] = fw.load(name, data, f)
		changed[name] = true
	}
	for name := range fw.files {
		if seen[name] == nil {
			log.Info("scenario file removed: no longer served", "file", name)
		}
	}
	fw.files = seen

	var list []*sim.Scenario
	var all scenario.Diagnostics
	ids := map[string]string{}
	for id, name := range fw.owners {
		if f := seen[name]; f != nil && f.good != nil && f.good.ID == id {
			ids[id] = name
		}
	}
	for _, p := range paths {
		name := filepath.Join(fw.dir, filepath.FromSlash(p))
		f := seen[name]
		if f == nil {
			continue
		}
		all = append(all, f.problems...)
		if f.good == nil {
			continue
		}
		if other, dup := ids[f.good.ID]; dup && other != name {
			d := scenario.Diagnostic{File: name, Line: 1, Col: 1, Message: fmt.Sprintf("scenario id %q is already used by %s; give this scenario its own id", f.good.ID, other)}
			if changed[name] {
				log.Warn("scenario file problem", "problem", d.Error())
			}
			all = append(all, d)
			continue
		}
		ids[f.good.ID] = name
		list = append(list, f.good)
	}
	fw.owners = ids
	fw.srv.scenarios.setFiles(list, problemsOf(all))
}

// load loads and checks one changed file; was is what the watcher knew of
// it before (nil for a new file). Problems are logged.
func (fw *fileWatch) load(name string, data []byte, was *watchedFile) *watchedFile {
	log := fw.srv.log
	f := &watchedFile{source: data}
	sc, err := scenario.Load(name, data)
	var ds scenario.Diagnostics
	switch {
	case errors.As(err, &ds):
		f.problems = ds
	case err != nil:
		f.problems = scenario.Diagnostics{{File: name, Message: err.Error()}}
	}
	if err != nil {
		if was != nil {
			f.good = was.good
		}
		msg := "scenario file has problems: not served"
		if f.good != nil {
			msg = "scenario file has problems: its last good version keeps serving"
		}
		log.Warn(msg, "file", name, "problems", len(f.problems))
		for _, d := range f.problems {
			log.Warn("scenario file problem", "problem", d.Error())
		}
		return f
	}
	f.good = sc
	f.problems = scenario.Lint(sc, fw.srv.reader)
	if f.problems == nil {
		f.problems = scenario.Diagnostics{}
	}
	if was == nil || was.good == nil || was.good.Hash != sc.Hash {
		log.Info("scenario file loaded", "file", name, "scenario", sc.ID, "version", short(sc.Hash))
	}
	for _, d := range f.problems {
		log.Info("scenario file warning", "problem", d.Error())
	}
	return f
}
