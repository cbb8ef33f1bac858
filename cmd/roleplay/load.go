package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/roleplay-sim/roleplay/scenarios"
	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

// loadPaths loads the scenarios in the given files and folders, naming each
// file as the user wrote its path. No paths means the bundled scenarios.
func loadPaths(paths []string) ([]*sim.Scenario, error) {
	if len(paths) == 0 {
		return scenario.LoadFS(scenarios.FS(), ".")
	}
	var srcs []scenario.Source
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() { // a file named explicitly is always loaded
			data, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			srcs = append(srcs, scenario.Source{Name: p, Data: data})
			continue
		}
		dir := os.DirFS(p)
		files, err := scenario.ScenarioFiles(dir, ".") // the one walking rule
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			data, err := fs.ReadFile(dir, f)
			if err != nil {
				return nil, err
			}
			srcs = append(srcs, scenario.Source{Name: filepath.Join(p, filepath.FromSlash(f)), Data: data})
		}
	}
	if len(srcs) == 0 {
		return nil, fmt.Errorf("no .toml scenario files in %s", strings.Join(paths, ", "))
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].Name < srcs[j].Name })
	return scenario.LoadSources(srcs)
}

// loadOne loads a single scenario file, or a bundled scenario by id.
func loadOne(path string) (*sim.Scenario, error) {
	if _, err := os.Stat(path); err != nil && !strings.ContainsAny(path, "/.") {
		all, err := scenario.LoadFS(scenarios.FS(), ".")
		if err != nil {
			return nil, err
		}
		if s := sim.Find(all, path); s != nil {
			return s, nil
		}
		var ids []string
		for _, s := range all {
			ids = append(ids, s.ID)
		}
		return nil, fmt.Errorf("no scenario file or bundled scenario %q (bundled: %s)", path, strings.Join(ids, ", "))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return scenario.Load(path, data)
}

// reportLoad prints a loading error: each diagnostic on its own line.
func reportLoad(e *env, err error) int {
	var ds scenario.Diagnostics
	if errors.As(err, &ds) {
		for _, d := range ds {
			fmt.Fprintln(e.stderr, d.Error())
		}
		fmt.Fprintf(e.stderr, "%d problem%s\n", len(ds), plural(len(ds)))
		return exitFailed
	}
	return failf(e, exitInternal, "%v", err)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
