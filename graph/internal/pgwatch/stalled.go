package pgwatch

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// StalledError says a server stopped answering on a connection, which was then closed,
// or did not answer a new one within connect_timeout.
type StalledError struct {
	Server     string        // the URL without password and parameters, or the address dialed
	Connecting bool          // a new connection had no answer within Connect
	Silent     time.Duration // how long the connection had waited for it
	Probe      error         // why a new connection got no answer; nil: Silent passed Statement
	Connect    time.Duration // connect_timeout, the probe's wait
	Statement  time.Duration // statement_timeout
}

func (e *StalledError) Error() string {
	silent := e.Silent.Round(100 * time.Millisecond)
	switch {
	case e.Connecting:
		return fmt.Sprintf("postgres %s: the server does not answer (no answer to a new connection within connect_timeout=%s); check that it runs and is reachable, or raise connect_timeout=SECONDS in the address",
			e.Server, e.Connect)
	case e.Probe != nil:
		why := ""
		var ne net.Error
		if !(errors.As(e.Probe, &ne) && ne.Timeout()) {
			why = ": " + e.Probe.Error()
		}
		return fmt.Sprintf("postgres %s: the server stopped answering (nothing for %s on a connection, and no answer to a new one within connect_timeout=%s%s); check that it runs and is reachable, or raise connect_timeout=SECONDS in the address",
			e.Server, silent, e.Connect, why)
	}
	return fmt.Sprintf("postgres %s: the server stopped answering (nothing for %s on a connection, past statement_timeout=%s); check that it runs, or raise statement_timeout=MS in the address (0 for no limit)",
		e.Server, silent, e.Statement)
}

// stalls are the last StalledErrors of this process, for Explain.
var stalls struct {
	sync.Mutex
	last []*StalledError
}

const keepStalls = 16

// stalled records e for Explain and returns it.
func stalled(e *StalledError) *StalledError {
	stalls.Lock()
	defer stalls.Unlock()
	stalls.last = append(stalls.last, e)
	if len(stalls.last) > keepStalls {
		stalls.last = stalls.last[1:]
	}
	return e
}

// Explain returns the StalledError behind err, or err. Cayley's SQL layer reports a
// failed query with fmt.Errorf("...%v..."), which keeps the stall's text and loses its
// type: an error whose text holds a recorded stall's text is that stall.
func Explain(err error) error {
	if err == nil {
		return nil
	}
	var se *StalledError
	if errors.As(err, &se) {
		return se
	}
	text := err.Error()
	stalls.Lock()
	defer stalls.Unlock()
	for _, se := range stalls.last {
		if strings.Contains(text, se.Error()) {
			return se
		}
	}
	return err
}
