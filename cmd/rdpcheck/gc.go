package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the garbage collector's target when GOGC is not set. rdpcheck
// holds one plan per worker at a time, so its live heap is small and flat;
// measured on the 1,000-plan peer corpus (make bench-peers), 200 spends
// about a seventh less CPU than Go's default of 100 and keeps the peak
// within 1.5x of a 10-plan run, where 400 saves more CPU but not memory.
const gcPercent = 200

func init() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
