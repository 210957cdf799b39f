package cmd

import (
	"fmt"
	"time"

	"github.com/parley/parley/graph"
)

// progressBar draws a load's progress on stderr when stderr is a terminal that can redraw
// a line (not TERM=dumb, where the load's summary line is all): the phase, bytes read
// against the total, quads per second and the time left in the phase. A message written
// to stderr while the bar is drawn (Progressf) clears the bar's line first.
type progressBar struct {
	d       *deps
	on      bool
	started time.Time
	phase   string
	last    time.Time
	drawn   bool
}

func (d *deps) progress() *progressBar {
	return &progressBar{d: d, on: d.io.ErrTTY && d.getenv("TERM") != "dumb", started: d.now()}
}

func (p *progressBar) update(pr graph.Progress) {
	if !p.on {
		return
	}
	now := p.d.now()
	if pr.Phase != p.phase {
		p.phase, p.started = pr.Phase, now
	} else if now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	elapsed := now.Sub(p.started).Seconds()
	line := fmt.Sprintf("%-8s %d quads", pr.Phase, pr.Quads)
	if elapsed > 0 {
		line += fmt.Sprintf(", %.0f quads/s", float64(pr.Quads)/elapsed)
	}
	if pr.Total > 0 && pr.Bytes > 0 {
		frac := float64(pr.Bytes) / float64(pr.Total)
		line += fmt.Sprintf(", %3.0f%%", 100*frac)
		if frac > 0.01 && elapsed > 0 {
			left := time.Duration(elapsed * (1 - frac) / frac * float64(time.Second))
			line += fmt.Sprintf(", %s left", left.Round(time.Second))
		}
	}
	fmt.Fprintf(p.d.io.ErrOut, "%s%s", clearLine, line)
	p.drawn, p.d.io.barDrawn = true, true
}

// done clears the bar's line.
func (p *progressBar) done() {
	if p.drawn && p.d.io.barDrawn {
		fmt.Fprint(p.d.io.ErrOut, clearLine)
	}
	p.drawn, p.d.io.barDrawn = false, false
}

// clearLine returns to the start of the line and clears it.
const clearLine = "\r\033[K"
