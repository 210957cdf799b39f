package pgwatch

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// dialer opens lib/pq's connections to one address, each watched with that address's
// limits. lib/pq uses DialContext when a dialer has it.
type dialer struct {
	limits
	group *group
}

// group is the connections of one dialer (one sql.Open): when one of them finds the
// server dead, the others' waits end too, and so do those that start within
// connect_timeout after (a command that fails closes its other queries, which would
// otherwise wait for the dead server again, one after the other).
type group struct {
	mu      sync.Mutex
	conns   map[*conn]bool
	dead    *StalledError
	deadAt  time.Time
	connect time.Duration
}

// mark records that the server is dead.
func (g *group) mark(e *StalledError) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.dead, g.deadAt = e, time.Now()
}

// condemn records that the server is dead and fails the connections that wait for it.
// No connection's mu may be held.
func (g *group) condemn(e *StalledError) {
	g.mark(e)
	g.mu.Lock()
	var waiting []*conn
	for c := range g.conns {
		waiting = append(waiting, c)
	}
	g.mu.Unlock()
	for _, c := range waiting {
		c.mu.Lock()
		if c.failed == nil && (c.rd.pending || c.wr.pending) {
			c.fail(e)
		}
		c.mu.Unlock()
	}
}

// verdict returns the server's recent death, or nil.
func (g *group) verdict() *StalledError {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.dead != nil && time.Since(g.deadAt) < g.connect {
		return g.dead
	}
	return nil
}

func (g *group) add(c *conn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.conns[c] = true
}

func (g *group) remove(c *conn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.conns, c)
}

func (d dialer) Dial(network, address string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, address)
}

func (d dialer) DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return d.DialContext(ctx, network, address)
}

func (d dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	l := d.limits
	if l.server == "" {
		l.server = address
	}
	var nd net.Dialer
	c, err := nd.DialContext(ctx, network, address)
	var ne net.Error
	if err != nil && l.connect > 0 && errors.As(err, &ne) && ne.Timeout() {
		e := stalled(&StalledError{Server: l.server, Connecting: true, Connect: l.connect, Statement: l.statement})
		d.group.condemn(e)
		return nil, e
	}
	if err != nil {
		return nil, err
	}
	wc := &conn{Conn: c, limits: l, network: network, address: address, group: d.group}
	d.group.add(wc)
	return wc, nil
}

// conn is a connection whose every read and write has a deadline, the earlier of
// lib/pq's own (set for connect_timeout during startup, cleared after) and
// statement_timeout plus a margin (limits.idle): a server that promised to answer
// within statement_timeout and is silent for longer is gone. Within that bound, an
// operation that has waited connect_timeout checks, every connect_timeout, that the
// server answers a new connection (probe); when it does not, the connection is closed
// and the operation fails with a *StalledError. A busy server answers the probe, so a
// long query or COPY is cut only by statement_timeout, which the server enforces itself.
type conn struct {
	net.Conn
	limits
	network, address string // as dialed, for probes
	group            *group

	mu     sync.Mutex
	failed *StalledError // set once; every later operation returns it
	rd, wr side
}

// side is the state of a connection's reads or of its writes, which lib/pq runs at the
// same time during a COPY.
type side struct {
	theirs  time.Time   // lib/pq's deadline, zero for none
	ours    time.Time   // the pending operation's own deadline, zero for none
	pending bool        // an operation waits
	since   time.Time   // when it started
	seq     uint64      // counts operations, so that a late probe cannot fail a newer one
	probe   *time.Timer // fires connect_timeout into an operation
}

func (c *conn) Read(b []byte) (int, error) {
	return c.do(&c.rd, c.Conn.Read, c.Conn.SetReadDeadline, b)
}

func (c *conn) Write(b []byte) (int, error) {
	return c.do(&c.wr, c.Conn.Write, c.Conn.SetWriteDeadline, b)
}

// do runs one read or write under the connection's deadline and probes.
func (c *conn) do(s *side, op func([]byte) (int, error), set func(time.Time) error, b []byte) (int, error) {
	c.mu.Lock()
	if e := c.group.verdict(); e != nil && c.failed == nil {
		c.fail(e)
	}
	if c.failed != nil {
		c.mu.Unlock()
		return 0, c.failed
	}
	s.pending, s.since, s.ours = true, time.Now(), time.Time{}
	s.seq++
	if idle := c.idle(); idle > 0 {
		s.ours = s.since.Add(idle)
	}
	err := set(earliest(s.theirs, s.ours))
	if c.connect > 0 {
		if s.probe == nil {
			s.probe = time.AfterFunc(c.connect, func() { c.check(s) })
		} else {
			s.probe.Reset(c.connect)
		}
	}
	c.mu.Unlock()
	n := 0
	if err == nil {
		n, err = op(b)
	}
	c.mu.Lock()
	s.pending = false
	if s.probe != nil {
		s.probe.Stop()
	}
	switch {
	case err == nil:
	case c.failed != nil: // a probe failed and closed the connection
		err = c.failed
	case errors.Is(err, os.ErrDeadlineExceeded) && !s.ours.IsZero() && (s.theirs.IsZero() || s.ours.Before(s.theirs)):
		// This connection's backend, not necessarily the server: the others go on.
		c.fail(&StalledError{Server: c.server, Silent: time.Since(s.since), Connect: c.connect, Statement: c.statement})
		err = c.failed
	case errors.Is(err, os.ErrDeadlineExceeded) && !s.theirs.IsZero():
		// lib/pq's deadline: connect_timeout, during startup. The server is dead.
		e := &StalledError{Server: c.server, Connecting: true, Silent: time.Since(s.since), Connect: c.connect, Statement: c.statement}
		c.fail(e)
		c.mu.Unlock()
		c.group.condemn(c.failed)
		return n, c.failed
	}
	c.mu.Unlock()
	return n, err
}

// check runs when an operation has waited connect_timeout: it probes the server and, if
// the server does not answer, fails the connection; else it checks again later.
func (c *conn) check(s *side) {
	c.mu.Lock()
	if !s.pending || c.failed != nil {
		c.mu.Unlock()
		return
	}
	seq, since := s.seq, s.since
	c.mu.Unlock()
	err := probe(c.network, c.address, c.connect)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !s.pending || s.seq != seq || c.failed != nil {
		return // the server answered in the meantime
	}
	if err == nil {
		s.probe.Reset(c.connect)
		return
	}
	c.fail(&StalledError{Server: c.server, Silent: time.Since(since), Probe: err, Connect: c.connect, Statement: c.statement})
	c.group.mark(c.failed)       // before the failed operation returns
	go c.group.condemn(c.failed) // which locks the others: c.mu is held
}

// fail records why the connection is dead and closes it, which ends its pending
// operations. c.mu is held.
func (c *conn) fail(e *StalledError) {
	if c.failed != nil {
		return
	}
	c.failed = stalled(e)
	c.Conn.Close()
}

func (c *conn) Close() error {
	c.group.remove(c)
	c.mu.Lock()
	for _, s := range []*side{&c.rd, &c.wr} {
		if s.probe != nil {
			s.probe.Stop()
		}
	}
	failed := c.failed != nil
	c.mu.Unlock()
	if failed {
		return nil // closed when it failed
	}
	return c.Conn.Close()
}

func (c *conn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

func (c *conn) SetReadDeadline(t time.Time) error {
	return c.setDeadline(&c.rd, c.Conn.SetReadDeadline, t)
}

func (c *conn) SetWriteDeadline(t time.Time) error {
	return c.setDeadline(&c.wr, c.Conn.SetWriteDeadline, t)
}

// setDeadline records lib/pq's deadline; a pending operation keeps its own if earlier.
func (c *conn) setDeadline(s *side, set func(time.Time) error, t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	s.theirs = t
	if s.pending {
		return set(earliest(t, s.ours))
	}
	return set(t)
}

// earliest returns the earlier of two deadlines, zero meaning none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// sslRequest is the PostgreSQL protocol's SSLRequest packet: length 8, code 80877103.
var sslRequest = []byte{0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f}

// probe checks that the server at address answers a new connection within wait. It
// sends an SSLRequest, which the server answers with one byte ('S' or 'N') before any
// authentication, and hangs up: the cheapest exchange a frozen server fails (the
// kernel accepts the connection, nobody answers), that a busy one passes (the
// postmaster forks a backend for it as for any connection), and that the server does
// not log: it ignores a connection closed before its startup packet, "such cases often
// occur for legitimate reasons" (postmaster.c), unless log_connections is on. A server
// with SSL answers 'S' and may log the aborted handshake.
func probe(network, address string, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	d := net.Dialer{Deadline: deadline}
	c, err := d.Dial(network, address)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SetDeadline(deadline); err != nil {
		return err
	}
	if _, err := c.Write(sslRequest); err != nil {
		return err
	}
	var answer [1]byte
	_, err = io.ReadFull(c, answer[:])
	return err // any byte: the server is alive
}
